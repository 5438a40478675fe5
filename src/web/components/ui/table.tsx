import type * as React from 'react';
import { cn } from '../../lib/utils.ts';

/** A table that scrolls sideways on small screens instead of squeezing its columns. */
export function Table({
  className,
  label,
  ...props
}: React.ComponentProps<'table'> & { label?: string }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
    <section className="relative w-full overflow-x-auto" tabIndex={0} aria-label={label}>
      <table className={cn('w-full caption-bottom text-[13px]', className)} {...props} />
    </section>
  );
}

export function TableHeader({ className, ...props }: React.ComponentProps<'thead'>) {
  return <thead className={cn('[&_tr]:border-b', className)} {...props} />;
}

export function TableBody({ className, ...props }: React.ComponentProps<'tbody'>) {
  return <tbody className={cn('[&_tr:last-child]:border-0', className)} {...props} />;
}

export function TableRow({ className, ...props }: React.ComponentProps<'tr'>) {
  return (
    <tr
      className={cn(
        'border-b transition-colors hover:bg-muted/50 data-[state=selected]:bg-accent/60',
        className,
      )}
      {...props}
    />
  );
}

export function TableHead({ className, ...props }: React.ComponentProps<'th'>) {
  return (
    <th
      scope="col"
      className={cn(
        'h-9 whitespace-nowrap px-1.5 text-left align-middle font-medium text-muted-foreground',
        'text-xs first:pl-0 last:pr-0',
        className,
      )}
      {...props}
    />
  );
}

export function TableCell({ className, ...props }: React.ComponentProps<'td'>) {
  return (
    <td
      className={cn('whitespace-nowrap px-1.5 py-2 align-middle first:pl-0 last:pr-0', className)}
      {...props}
    />
  );
}
