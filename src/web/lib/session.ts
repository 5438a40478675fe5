/**
 * Who is signed in and what they may do (SPEC §9). Every screen asks, so it lives here rather
 * than in the auth feature: features never import one another.
 */
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { MeResponse } from '../../contracts/auth.contract.ts';
import { api } from './api.ts';

export type Me = z.infer<typeof MeResponse>;

export const meQuery = queryOptions({
  queryKey: ['me'],
  queryFn: ({ signal }) => api<Me>('/me', { signal }),
  staleTime: 5 * 60_000,
});

export function useMe() {
  return useQuery(meQuery);
}

export function logout() {
  return api<void>('/auth/logout', { method: 'POST' });
}

/** Whether the signed-in person may schedule and change follow-ups (SPEC §9). */
export function useCanOperate(): boolean {
  const { data } = useMe();
  const role = data?.user?.role ?? data?.apiKey?.role;
  return role === 'admin' || role === 'operator';
}

/** Whether the signed-in person may change agents, campaigns and settings (SPEC §9). */
export function useIsAdmin(): boolean {
  const { data } = useMe();
  return (data?.user?.role ?? data?.apiKey?.role) === 'admin';
}
