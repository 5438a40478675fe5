import { AlertTriangleIcon, RotateCwIcon } from 'lucide-react';
import { errorMessage } from '../lib/api.ts';
import { cn } from '../lib/utils.ts';
import { Button } from './ui/button.tsx';

/** Something failed to load: say what, and offer to try again. */
export function ErrorState({
  error,
  onRetry,
  title = 'This could not be loaded',
  className,
}: {
  error: unknown;
  onRetry?: () => void;
  title?: string;
  className?: string;
}) {
  return (
    <div
      role="alert"
      className={cn(
        'flex flex-col items-center gap-2 rounded-lg border border-red-200 bg-red-50/60 px-4',
        'py-6 text-center dark:border-red-900 dark:bg-red-950/40',
        className,
      )}
    >
      <AlertTriangleIcon aria-hidden="true" className="size-5 text-red-700 dark:text-red-300" />
      <p className="font-medium text-sm">{title}</p>
      <p className="max-w-md text-muted-foreground text-sm">{errorMessage(error)}</p>
      {onRetry ? (
        <Button variant="outline" size="sm" onClick={onRetry} className="mt-1">
          <RotateCwIcon aria-hidden="true" />
          Try again
        </Button>
      ) : null}
    </div>
  );
}
