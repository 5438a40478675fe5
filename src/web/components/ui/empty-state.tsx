import type { LucideIcon } from 'lucide-react';
import type * as React from 'react';
import { cn } from '../../lib/utils.ts';

export function EmptyState({
  icon: Icon,
  title,
  children,
  action,
  className,
}: {
  icon?: LucideIcon;
  title: string;
  children?: React.ReactNode;
  action?: React.ReactNode;
  className?: string;
}) {
  return (
    <div
      className={cn(
        'flex flex-col items-center justify-center gap-2 rounded-lg border border-dashed',
        'px-4 py-8 text-center',
        className,
      )}
    >
      {Icon ? <Icon aria-hidden="true" className="size-6 text-muted-foreground" /> : null}
      <p className="font-medium text-sm">{title}</p>
      {children ? <div className="max-w-md text-muted-foreground text-sm">{children}</div> : null}
      {action ? <div className="mt-2">{action}</div> : null}
    </div>
  );
}
