import type * as React from 'react';
import { cn } from '../../lib/utils.ts';
import { Label } from './label.tsx';

/** A label, a control, an optional hint and the reason it was refused. */
export function Field({
  id,
  label,
  hint,
  error,
  children,
  className,
}: {
  id: string;
  label: React.ReactNode;
  hint?: React.ReactNode;
  error?: string;
  children: React.ReactNode;
  className?: string;
}) {
  return (
    <div className={cn('grid gap-1.5', className)}>
      <Label htmlFor={id}>{label}</Label>
      {children}
      {hint ? (
        <div id={`${id}-hint`} className="text-muted-foreground text-xs">
          {hint}
        </div>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="font-medium text-destructive text-xs" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** The aria-describedby of a field's control: its hint and its error, when shown. */
export function describedBy(id: string, opts: { hint?: boolean; error?: boolean }) {
  const ids = [opts.hint ? `${id}-hint` : null, opts.error ? `${id}-error` : null].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}
