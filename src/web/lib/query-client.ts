import { QueryCache, QueryClient } from '@tanstack/react-query';
import { isApiError } from './api.ts';

/**
 * One query client for the app. A 401 anywhere means the session ended: `onSignedOut` sends
 * the person to the sign-in page and back here afterwards.
 */
export function createQueryClient(onSignedOut: () => void): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({
      onError: (error) => {
        if (isApiError(error, 401)) onSignedOut();
      },
    }),
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        retry: (count, error) => {
          // A 4xx will not change by asking again; a network blip might.
          if (isApiError(error) && error.status >= 400 && error.status < 500) return false;
          return count < 2;
        },
        refetchOnWindowFocus: true,
      },
    },
  });
}
