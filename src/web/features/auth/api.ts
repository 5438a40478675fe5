import type { ChangePassword } from '../../../contracts/auth.contract.ts';
import { api } from '../../lib/api.ts';
import type { Me } from '../../lib/session.ts';

export function login(body: { email: string; password: string }) {
  return api<Me>('/auth/login', { method: 'POST', body });
}

export function changePassword(body: ChangePassword) {
  return api<void>('/auth/password', { method: 'POST', body });
}

/** Only same-site paths: never send someone to another site after signing in. */
export function safeRedirect(target: string | undefined): string {
  if (!target?.startsWith('/') || target.startsWith('//') || target.startsWith('/\\')) {
    return '/';
  }
  if (target.startsWith('/login') || target.startsWith('/password')) return '/';
  return target;
}
