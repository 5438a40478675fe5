/** "Review": what the import will do, counted by the server without writing. */

import { ProblemList } from '../../../components/import-progress.tsx';
import { formatNumber } from '../../../lib/format.ts';
import type { ImportReview } from '../../../lib/imports-api.ts';

export function ReviewStep({ review }: { review: ImportReview }) {
  const tiles = [
    ['Rows to import', review.toImport.new + review.toImport.update + review.toImport.unchanged],
    ['New', review.toImport.new],
    ['Updated', review.toImport.update],
    ['Unchanged', review.toImport.unchanged],
    ['Rows without a valid phone', review.invalidPhones],
    ['Duplicates', review.duplicates],
  ] as const;
  return (
    <div className="grid gap-4" data-testid="import-review">
      <p className="text-sm">
        The file has {formatNumber(review.totalRows)} rows. Nothing is written until you press
        “Import”.
      </p>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3">
        {tiles.map(([label, value]) => (
          <div key={label} className="rounded-lg border bg-card px-3 py-2">
            <dt className="text-muted-foreground text-xs">{label}</dt>
            <dd className="font-semibold text-xl tabular-nums">{formatNumber(value)}</dd>
          </div>
        ))}
      </dl>
      {review.problems.length > 0 ? (
        <div className="grid gap-2">
          <p className="font-medium text-sm">
            {formatNumber(review.errorCount)} {review.errorCount === 1 ? 'row' : 'rows'} will not be
            imported
            {review.errorCount > review.problems.length
              ? `; the first ${review.problems.length}:`
              : ':'}
          </p>
          <ProblemList problems={review.problems} />
        </div>
      ) : (
        <p className="text-muted-foreground text-sm">Every row can be imported.</p>
      )}
    </div>
  );
}
