import { type ErrorComponentProps, useRouter } from '@tanstack/react-router';
import { isApiError } from '../lib/api.ts';
import { ErrorState } from './error-state.tsx';
import { NotFoundPage } from './not-found.tsx';

/** A route failed to load (its code or its data): a 404 is "not found", anything else retries. */
export function RouteError({ error, reset }: ErrorComponentProps) {
  const router = useRouter();
  if (isApiError(error, 404)) return <NotFoundPage />;
  return (
    <div className="mx-auto max-w-xl p-6">
      <ErrorState
        error={error}
        title="This page could not be loaded"
        onRetry={() => {
          reset();
          router.invalidate();
        }}
      />
    </div>
  );
}
