import { str } from '../../lib/search.ts';

export interface ContactsSearch {
  q?: string;
}

export function validateContactsSearch(search: Record<string, unknown>): ContactsSearch {
  return { q: str(search.q) };
}
