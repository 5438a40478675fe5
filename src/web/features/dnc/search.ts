import { str } from '../../lib/search.ts';

export interface DncSearch {
  q?: string;
}

export function validateDncSearch(search: Record<string, unknown>): DncSearch {
  return { q: str(search.q, 100) };
}
