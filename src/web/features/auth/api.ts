import { queryOptions, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { ChangePassword, MeResponse } from '../../../contracts/auth.contract.ts';
import { api } from '../../lib/api.ts';

export type Me = z.infer<typeof MeResponse>;

export const meQuery = queryOptions({
  queryKey: ['me'],
  queryFn: ({ signal }) => api<Me>('/me', { signal }),
  staleTime: 5 * 60_000,
});

export function useMe() {
  return useQuery(meQuery);
}

export function login(body: { email: string; password: string }) {
  return api<Me>('/auth/login', { method: 'POST', body });
}

export function changePassword(body: ChangePassword) {
  return api<void>('/auth/password', { method: 'POST', body });
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

/** Only same-site paths: never send someone to another site after signing in. */
export function safeRedirect(target: string | undefined): string {
  if (!target?.startsWith('/') || target.startsWith('//') || target.startsWith('/\\')) {
    return '/';
  }
  if (target.startsWith('/login') || target.startsWith('/password')) return '/';
  return target;
}
