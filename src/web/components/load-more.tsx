import { formatNumber } from '../lib/format.ts';
import { Button } from './ui/button.tsx';

/** The foot of a cursor-paginated list: how many are shown, and "Load more". */
export function LoadMore({
  shown,
  noun,
  hasMore,
  loading,
  onLoadMore,
}: {
  shown: number;
  noun: [string, string];
  hasMore: boolean;
  loading: boolean;
  onLoadMore: () => void;
}) {
  return (
    <div className="mt-4 flex flex-wrap items-center justify-between gap-2 text-muted-foreground text-sm">
      <span aria-live="polite">
        {formatNumber(shown)} {shown === 1 ? noun[0] : noun[1]} shown
        {hasMore ? '; more below' : ''}
      </span>
      {hasMore ? (
        <Button variant="outline" size="sm" onClick={onLoadMore} disabled={loading}>
          {loading ? 'Loading…' : 'Load more'}
        </Button>
      ) : null}
    </div>
  );
}
