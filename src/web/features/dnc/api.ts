import type { AddedDncEntry, DncEntry } from '../../../contracts/dnc.contract.ts';
import { api, type Page } from '../../lib/api.ts';

export type { AddedDncEntry, DncEntry };

export function listDnc(query: { q?: string; limit?: number; cursor?: string }) {
  return api<Page<DncEntry>>('/dnc', { query });
}

export function addDnc(body: { phone: string; reason?: string | null }) {
  return api<AddedDncEntry>('/dnc', { method: 'POST', body });
}

export function removeDnc(id: string) {
  return api<void>(`/dnc/${id}`, { method: 'DELETE' });
}

/**
 * The Do Not Call entry of a phone number. The API has no lookup by phone, so this searches
 * the list by the number's digits and picks the exact match.
 */
export async function findDncEntry(phone: string): Promise<DncEntry | null> {
  const digits = phone.replace(/\D/g, '');
  let cursor: string | undefined;
  for (let page = 0; page < 5; page++) {
    const result = await listDnc({ q: digits, limit: 200, cursor });
    const match = result.items.find((e) => e.phone === phone);
    if (match) return match;
    if (!result.nextCursor) return null;
    cursor = result.nextCursor;
  }
  return null;
}
