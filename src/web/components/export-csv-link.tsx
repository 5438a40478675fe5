import { DownloadIcon } from 'lucide-react';
import { buildQuery, type QueryValue } from '../lib/api.ts';
import { Button } from './ui/button.tsx';

/**
 * "Export CSV": downloads every row of a list with the filters on screen (a plain link: the
 * session cookie goes with it, and the server names the file).
 */
export function ExportCsvLink({
  path,
  filters,
}: {
  /** The export under /api, e.g. /follow-ups/export.csv. */
  path: string;
  filters: Record<string, QueryValue>;
}) {
  return (
    <Button asChild variant="outline">
      <a href={`/api${path}${buildQuery(filters)}`} download>
        <DownloadIcon aria-hidden="true" />
        Export CSV
      </a>
    </Button>
  );
}
