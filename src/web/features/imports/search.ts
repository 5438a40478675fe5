import { str } from '../../lib/search.ts';

export interface ImportSearch {
  job?: string;
}

export function validateImportSearch(search: Record<string, unknown>): ImportSearch {
  return { job: str(search.job, 64) };
}
