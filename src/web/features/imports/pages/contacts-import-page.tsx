/**
 * /contacts/import: "Upload" → "Map columns" → "Review" → "Import" (progress, then the result).
 * The job id is in the URL (?job=…): a reload shows where the import stands.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { AlertCircleIcon, ArrowLeftIcon } from 'lucide-react';
import { type ReactNode, useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { z } from 'zod';
import { ImportMappingSchema } from '../../../../contracts/imports.contract.ts';
import { type ImportMapping, suggestMapping } from '../../../../core/import-mapping.ts';
import { ErrorState } from '../../../components/error-state.tsx';
import { FileDrop } from '../../../components/file-drop.tsx';
import { FormError } from '../../../components/form-refusal.tsx';
import { ImportProgress } from '../../../components/import-progress.tsx';
import { PageHeader } from '../../../components/page-header.tsx';
import { Alert } from '../../../components/ui/alert.tsx';
import { Button } from '../../../components/ui/button.tsx';
import { Card, CardContent } from '../../../components/ui/card.tsx';
import { ApiError, errorMessage } from '../../../lib/api.ts';
import {
  errorsCsvUrl,
  type ImportJob,
  type ImportReview,
  importKeys,
  importQuery,
  reviewImport,
  startImport,
  type UploadedImport,
  uploadImport,
} from '../../../lib/imports-api.ts';
import { contactKeys } from '../../../lib/query-keys.ts';
import { useCanOperate } from '../../../lib/session.ts';
import { cn } from '../../../lib/utils.ts';
import {
  type ColumnChoices,
  choicesFrom,
  MappingStep,
  mappingFrom,
} from '../components/mapping-step.tsx';
import { ReviewStep } from '../components/review-step.tsx';

const route = getRouteApi('/_app/contacts/import');
const STEPS = ['Upload', 'Map columns', 'Review', 'Import'] as const;
type Step = (typeof STEPS)[number];

function Steps({ current }: { current: Step }) {
  const at = STEPS.indexOf(current);
  return (
    <ol className="mb-4 flex flex-wrap gap-2 text-sm" aria-label="Steps">
      {STEPS.map((step, i) => (
        <li
          key={step}
          aria-current={i === at ? 'step' : undefined}
          className={cn(
            'flex items-center gap-2 rounded-full border px-3 py-1',
            i === at && 'border-primary bg-primary text-primary-foreground',
            i < at && 'text-muted-foreground',
          )}
        >
          <span className="tabular-nums">{i + 1}.</span> {step}
        </li>
      ))}
    </ol>
  );
}

/** Problems of a mapping by column ('mapping.Phone' → 'Phone'); the rest in `other`. */
function mappingErrors(error: unknown): { byColumn: Record<string, string>; other: string | null } {
  const byColumn: Record<string, string> = {};
  const other: string[] = [];
  if (error instanceof ApiError && error.errors.length > 0) {
    for (const e of error.errors) {
      if (e.path.startsWith('mapping.')) byColumn[e.path.slice('mapping.'.length)] ??= e.message;
      else other.push(e.message);
    }
  } else if (error) other.push(errorMessage(error));
  return { byColumn, other: other.length ? other.join(' ') : null };
}

interface MappingValues {
  choices: ColumnChoices;
}

/** The column choices as made, read into the contract's import mapping (column → field). */
const MappingSchema = z
  .object({ choices: z.custom<ColumnChoices>() })
  .transform(({ choices }) => mappingFrom(choices))
  .pipe(ImportMappingSchema);

function Mapper({ job, uploaded }: { job: ImportJob; uploaded: UploadedImport | null }) {
  const queryClient = useQueryClient();
  const form = useForm<MappingValues, unknown, ImportMapping>({
    resolver: zodResolver(MappingSchema),
    defaultValues: {
      choices: choicesFrom(
        job.headers,
        uploaded?.suggestedMapping ?? suggestMapping(job.headers, 'contacts'),
      ),
    },
  });
  const [review, setReview] = useState<ImportReview | null>(null);
  const mapping = mappingFrom(form.watch('choices'));
  const reviewing = useMutation({
    mutationFn: (checked: ImportMapping) => reviewImport(job.id, checked),
    onSuccess: setReview,
  });
  const starting = useMutation({
    mutationFn: () => startImport(job.id, mapping),
    onSuccess: (next) => queryClient.setQueryData(importKeys.detail(job.id), next),
  });
  const problems = mappingErrors(reviewing.error ?? starting.error);

  return (
    <>
      <Steps current={review ? 'Review' : 'Map columns'} />
      <Card>
        <CardContent className="grid gap-4 pt-4">
          <FormError message={problems.other} />
          {review ? (
            <ReviewStep review={review} />
          ) : (
            <>
              <p className="text-sm">
                Choose what each column of <span className="font-medium">{job.fileName}</span>{' '}
                holds. Rows are matched to contacts by phone: existing contacts are updated, and
                blank cells keep what the contact has.
              </p>
              <Controller
                control={form.control}
                name="choices"
                render={({ field }) => (
                  <MappingStep
                    kind="contacts"
                    headers={job.headers}
                    sample={uploaded?.sample}
                    choices={field.value}
                    onChange={field.onChange}
                    errors={problems.byColumn}
                  />
                )}
              />
            </>
          )}
          <div className="flex flex-wrap justify-end gap-2">
            {review ? (
              <>
                <Button variant="outline" onClick={() => setReview(null)}>
                  Back
                </Button>
                <Button onClick={() => starting.mutate()} disabled={starting.isPending}>
                  {starting.isPending ? 'Starting…' : 'Import'}
                </Button>
              </>
            ) : (
              <Button
                onClick={form.handleSubmit((checked) => reviewing.mutate(checked))}
                disabled={reviewing.isPending}
              >
                {reviewing.isPending ? 'Checking the file…' : 'Review'}
              </Button>
            )}
          </div>
        </CardContent>
      </Card>
    </>
  );
}

function Upload({ onUploaded }: { onUploaded: (job: UploadedImport) => void }) {
  const upload = useMutation({
    mutationFn: (file: File) => uploadImport(file, 'contacts'),
    onSuccess: onUploaded,
  });
  return (
    <>
      <Steps current="Upload" />
      <Card>
        <CardContent className="grid gap-3 pt-4">
          <FileDrop
            onFile={(file) => upload.mutate(file)}
            disabled={upload.isPending}
            error={upload.error ? errorMessage(upload.error) : undefined}
          />
          {upload.isPending ? (
            <p className="text-muted-foreground text-sm" aria-live="polite">
              Uploading…
            </p>
          ) : null}
        </CardContent>
      </Card>
    </>
  );
}

export function ContactsImportPage() {
  const { job: jobId } = route.useSearch();
  const navigate = route.useNavigate();
  const queryClient = useQueryClient();
  const [uploaded, setUploaded] = useState<UploadedImport | null>(null);
  const job = useQuery({ ...importQuery(jobId ?? ''), enabled: !!jobId });
  const canOperate = useCanOperate();

  let body: ReactNode;
  if (!jobId && !canOperate) {
    body = (
      <Alert variant="warning">
        <AlertCircleIcon aria-hidden="true" />
        <p>Importing contacts needs the operator or admin role. Ask an admin of the workspace.</p>
      </Alert>
    );
  } else if (!jobId) {
    body = (
      <Upload
        onUploaded={(next) => {
          setUploaded(next);
          queryClient.setQueryData(importKeys.detail(next.id), next);
          void navigate({ search: { job: next.id } });
        }}
      />
    );
  } else if (job.isError && !job.data) {
    body = (
      <ErrorState
        error={job.error}
        title="The import could not be loaded"
        onRetry={() => job.refetch()}
      />
    );
  } else if (!job.data) {
    body = <p className="text-muted-foreground text-sm">Loading the import…</p>;
  } else if (job.data.status === 'uploaded') {
    body = (
      <Mapper
        key={job.data.id}
        job={job.data}
        uploaded={uploaded?.id === jobId ? uploaded : null}
      />
    );
  } else {
    body = (
      <>
        <Steps current="Import" />
        <Card>
          <CardContent className="grid gap-4 pt-4">
            <ImportProgress
              query={importQuery(job.data.id)}
              errorsCsvUrl={errorsCsvUrl(job.data.id)}
              onDone={() => queryClient.invalidateQueries({ queryKey: contactKeys.all })}
            />
            <div className="flex flex-wrap justify-end gap-2">
              <Button variant="outline" onClick={() => navigate({ search: {} })}>
                Import another file
              </Button>
              <Button asChild>
                <Link to="/contacts">Go to contacts</Link>
              </Button>
            </div>
          </CardContent>
        </Card>
      </>
    );
  }

  return (
    <>
      <PageHeader
        title="Import contacts"
        description="Add or update contacts from a CSV file. A second run of the same file changes nothing."
        actions={
          <Button asChild variant="ghost" size="sm">
            <Link to="/contacts">
              <ArrowLeftIcon aria-hidden="true" />
              Contacts
            </Link>
          </Button>
        }
      />
      {body}
    </>
  );
}
