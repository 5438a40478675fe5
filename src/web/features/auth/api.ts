import { type ChangePassword, ReturnPath } from '../../../contracts/auth.contract.ts';
import { api } from '../../lib/api.ts';
import type { Me } from '../../lib/session.ts';

export function login(body: { email: string; password: string; workspaceId?: string }) {
  return api<Me>('/auth/login', { method: 'POST', body });
}

export function changePassword(body: ChangePassword) {
  return api<void>('/auth/password', { method: 'POST', body });
}

/**
 * Where to go after signing in: the return path when the contract's `ReturnPath` accepts it (a
 * path of this app, not a sign-in screen), else the dashboard — never another site.
 */
export function safeRedirect(target: string | undefined): string {
  return ReturnPath.safeParse(target).data ?? '/';
}
