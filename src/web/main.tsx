import './styles.css';
import { QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Toaster } from 'sonner';
import { createQueryClient } from './lib/query-client.ts';
import { type AppRouter, createAppRouter } from './router.tsx';

let router: AppRouter;

const queryClient = createQueryClient(() => {
  // The session ended (expired, or signed out elsewhere): sign in again and come back.
  queryClient.removeQueries({ queryKey: ['me'] });
  const { pathname, href } = router.state.location;
  if (pathname !== '/login') {
    router.navigate({ to: '/login', search: { redirect: href }, replace: true });
  }
});

router = createAppRouter(queryClient);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
      <Toaster richColors closeButton theme="system" position="bottom-right" />
    </QueryClientProvider>
  </StrictMode>,
);
