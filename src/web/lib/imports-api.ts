/** Uploading, reviewing and running CSV imports: the contacts import and the DNC import share them. */
import { queryOptions } from '@tanstack/react-query';
import type { ImportJob, ImportReview, UploadedImport } from '../../contracts/imports.contract.ts';
import type { ImportKind, ImportMapping } from '../../core/import-mapping.ts';
import { api } from './api.ts';
import { importKeys } from './query-keys.ts';

export type { ImportJob, ImportReview, UploadedImport };

export { importKeys };

/** Sends the file as it is (text/csv); the server keeps it until the import has run. */
export function uploadImport(file: File, kind: ImportKind) {
  return api<UploadedImport>('/imports', {
    method: 'POST',
    query: { kind, fileName: file.name || 'import.csv' },
    body: file,
    headers: { 'content-type': 'text/csv' },
  });
}

export function reviewImport(id: string, mapping: ImportMapping) {
  return api<ImportReview>(`/imports/${id}/review`, { method: 'POST', body: { mapping } });
}

export function startImport(id: string, mapping: ImportMapping) {
  return api<ImportJob>(`/imports/${id}/start`, { method: 'POST', body: { mapping } });
}

/** One import; polled every half second while it runs. */
export function importQuery(id: string) {
  return queryOptions({
    queryKey: importKeys.detail(id),
    queryFn: ({ signal }) => api<ImportJob>(`/imports/${id}`, { signal }),
    refetchInterval: (query) => (query.state.data?.status === 'running' ? 500 : false),
  });
}

export const errorsCsvUrl = (id: string) => `/api/imports/${id}/errors.csv`;
