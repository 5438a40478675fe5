import type * as React from 'react';
import { cn } from '../lib/utils.ts';

export function PageHeader({
  title,
  description,
  actions,
  children,
  className,
}: {
  title: React.ReactNode;
  description?: React.ReactNode;
  actions?: React.ReactNode;
  children?: React.ReactNode;
  className?: string;
}) {
  return (
    <div className={cn('mb-5 flex flex-wrap items-start gap-x-4 gap-y-3', className)}>
      <div className="min-w-0 flex-[1_1_16rem]">
        <h1 className="font-semibold text-2xl tracking-tight">{title}</h1>
        {description ? (
          <div className="mt-1 text-muted-foreground text-sm">{description}</div>
        ) : null}
        {children}
      </div>
      {actions ? <div className="flex flex-wrap items-center gap-2">{actions}</div> : null}
    </div>
  );
}
