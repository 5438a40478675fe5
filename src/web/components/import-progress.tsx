/**
 * A running import's progress bar (rows done / total), then its result: "Created", "Updated",
 * "Skipped", "Errors", the first problems and "Download error report". Polls the job with the
 * query its caller gives (contacts and Do Not Call imports both use it).
 */
import { type QueryKey, type UseQueryOptions, useQuery } from '@tanstack/react-query';
import { AlertCircleIcon, CheckCircle2Icon, DownloadIcon } from 'lucide-react';
import { useEffect, useRef } from 'react';
import type { ImportJob } from '../../contracts/imports.contract.ts';
import { formatNumber } from '../lib/format.ts';
import { ErrorState } from './error-state.tsx';
import { Alert } from './ui/alert.tsx';
import { Button } from './ui/button.tsx';

const SCROLL = 'max-h-56 overflow-y-auto rounded-md border bg-muted/40 px-3 py-2 text-sm';

/** Rows that cannot be imported, one sentence each ("Line 17: …"); scrolls when long. */
export function ProblemList({ problems }: { problems: { line: number; reason: string }[] }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
    <section className={SCROLL} tabIndex={0} aria-label="Rows not imported">
      <ul className="grid gap-0.5">
        {problems.map((p) => (
          <li key={p.line}>{p.reason}</li>
        ))}
      </ul>
    </section>
  );
}

export function ProgressBar({
  done,
  total,
  label,
}: {
  done: number;
  total: number;
  label: string;
}) {
  const percent = total > 0 ? Math.min(100, Math.round((done / total) * 100)) : 0;
  return (
    <div className="grid gap-1.5">
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={done}
        aria-valuetext={`${formatNumber(done)} of ${formatNumber(total)} rows`}
        className="h-2.5 overflow-hidden rounded-full bg-muted"
      >
        <div
          className="h-full rounded-full bg-primary transition-[width] duration-300"
          style={{ width: `${percent}%` }}
        />
      </div>
      <p className="text-muted-foreground text-sm tabular-nums" data-testid="import-rows">
        {formatNumber(done)} / {formatNumber(total)} rows · {percent}%
      </p>
    </div>
  );
}

const COUNTS = [
  ['Created', 'created'],
  ['Updated', 'updated'],
  ['Skipped', 'skipped'],
  ['Errors', 'errorCount'],
] as const;

export function ImportResult({ job, errorsCsvUrl }: { job: ImportJob; errorsCsvUrl: string }) {
  return (
    <div className="grid gap-4">
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4" data-testid="import-result">
        {COUNTS.map(([label, key]) => (
          <div key={key} className="rounded-lg border bg-card px-3 py-2">
            <dt className="text-muted-foreground text-xs">{label}</dt>
            <dd className="font-semibold text-xl tabular-nums" data-count={key}>
              {formatNumber(job[key])}
            </dd>
          </div>
        ))}
      </dl>
      {job.skipped > 0 ? (
        <p className="text-muted-foreground text-sm">
          Skipped rows are already stored exactly so: running the same file again changes nothing.
        </p>
      ) : null}
      {job.errorCount > 0 ? (
        <div className="grid gap-2">
          <p className="font-medium text-sm">
            {formatNumber(job.errorCount)} {job.errorCount === 1 ? 'row was' : 'rows were'} not
            imported
            {job.errorCount > job.firstErrors.length
              ? `; the first ${job.firstErrors.length}:`
              : ':'}
          </p>
          <ProblemList problems={job.firstErrors} />
          <div>
            <Button asChild variant="outline" size="sm">
              <a href={errorsCsvUrl} download>
                <DownloadIcon aria-hidden="true" />
                Download error report
              </a>
            </Button>
          </div>
        </div>
      ) : null}
    </div>
  );
}

/** Follows the job until it ends; `onDone` runs once when it completes. */
export function ImportProgress<Key extends QueryKey>({
  query: options,
  errorsCsvUrl,
  onDone,
}: {
  /** The job's query (it polls while the import runs). */
  query: UseQueryOptions<ImportJob, Error, ImportJob, Key>;
  /** Where "Download error report" leads. */
  errorsCsvUrl: string;
  onDone?: (job: ImportJob) => void;
}) {
  const query = useQuery(options);
  const job = query.data;
  const reported = useRef(false);
  useEffect(() => {
    if (job && job.status === 'completed' && !reported.current) {
      reported.current = true;
      onDone?.(job);
    }
  }, [job, onDone]);

  if (query.isError && !job) {
    return (
      <ErrorState
        error={query.error}
        title="The import could not be loaded"
        onRetry={() => query.refetch()}
      />
    );
  }
  if (!job) return <p className="text-muted-foreground text-sm">Loading the import…</p>;
  const total = job.totalRows ?? job.processedRows;
  if (job.status === 'running' || job.status === 'uploaded') {
    return (
      <div className="grid gap-2" aria-live="polite">
        <p className="font-medium text-sm">Importing {job.fileName}…</p>
        <ProgressBar done={job.processedRows} total={total} label="Import progress" />
      </div>
    );
  }
  return (
    <div className="grid gap-4" aria-live="polite">
      {job.status === 'failed' ? (
        <Alert variant="destructive" data-testid="import-failed">
          <AlertCircleIcon aria-hidden="true" />
          <p>{job.failure ?? 'The import failed.'}</p>
        </Alert>
      ) : (
        <Alert variant="info" data-testid="import-done">
          <CheckCircle2Icon aria-hidden="true" />
          <p>
            Imported {job.fileName}: {formatNumber(job.processedRows)} rows read.
          </p>
        </Alert>
      )}
      <ProgressBar done={job.processedRows} total={total} label="Import progress" />
      <ImportResult job={job} errorsCsvUrl={errorsCsvUrl} />
    </div>
  );
}
