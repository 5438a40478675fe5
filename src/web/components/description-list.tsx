import type * as React from 'react';
import { cn } from '../lib/utils.ts';

/** Labelled values, label above value on narrow columns. */
export function DescriptionList({
  items,
  className,
  columns = 1,
}: {
  items: { label: string; value: React.ReactNode; testId?: string; wide?: boolean }[];
  className?: string;
  columns?: 1 | 2;
}) {
  return (
    <dl
      className={cn(
        'grid gap-x-6 gap-y-3 text-sm',
        columns === 2 ? 'sm:grid-cols-2' : 'grid-cols-1',
        className,
      )}
    >
      {items.map((item) => (
        <div
          key={item.label}
          className={cn('min-w-0', item.wide && columns === 2 && 'sm:col-span-2')}
          data-testid={item.testId}
        >
          <dt className="text-muted-foreground text-xs">{item.label}</dt>
          <dd className="mt-0.5 break-words">{item.value}</dd>
        </div>
      ))}
    </dl>
  );
}
