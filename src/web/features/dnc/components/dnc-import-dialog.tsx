/**
 * "Import CSV" on the Do Not Call page: a file, its phone column and an optional reason column,
 * then the import's progress and result. New numbers fail their contacts' open call and SMS
 * follow-ups at once.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { AlertCircleIcon } from 'lucide-react';
import { useCallback, useId, useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { z } from 'zod';
import { ImportMappingSchema } from '../../../../contracts/imports.contract.ts';
import { FileDrop } from '../../../components/file-drop.tsx';
import { ImportProgress } from '../../../components/import-progress.tsx';
import { Alert } from '../../../components/ui/alert.tsx';
import { Button } from '../../../components/ui/button.tsx';
import {
  Dialog,
  DialogClose,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '../../../components/ui/dialog.tsx';
import { Field } from '../../../components/ui/field.tsx';
import { Select } from '../../../components/ui/select.tsx';
import { ApiError, errorMessage } from '../../../lib/api.ts';
import {
  errorsCsvUrl,
  importQuery,
  startImport,
  type UploadedImport,
  uploadImport,
} from '../../../lib/imports-api.ts';
import { refreshAfterDncChange } from '../api.ts';

const NONE = '__none';

/** The two column choices, read into the contract's import mapping (column → field). */
const ColumnsSchema = z
  .object({ phone: z.string(), reason: z.string() })
  .transform(({ phone, reason }) => ({
    ...(phone ? { [phone]: 'phone' } : {}),
    ...(reason !== NONE && reason !== phone ? { [reason]: 'reason' } : {}),
  }))
  .pipe(ImportMappingSchema);

function ColumnsForm({ job, onStarted }: { job: UploadedImport; onStarted: (id: string) => void }) {
  const uid = useId();
  const suggested = Object.entries(job.suggestedMapping);
  const form = useForm<z.input<typeof ColumnsSchema>, unknown, z.output<typeof ColumnsSchema>>({
    resolver: zodResolver(ColumnsSchema),
    defaultValues: {
      phone: suggested.find(([, f]) => f === 'phone')?.[0] ?? '',
      reason: suggested.find(([, f]) => f === 'reason')?.[0] ?? NONE,
    },
  });
  const phone = form.watch('phone');
  const start = useMutation({
    mutationFn: (mapping: z.output<typeof ColumnsSchema>) => startImport(job.id, mapping),
    onSuccess: (started) => onStarted(started.id),
  });
  const fieldError = (column: string) =>
    start.error instanceof ApiError ? start.error.fieldMessage(`mapping.${column}`) : undefined;
  const phoneError =
    (phone ? fieldError(phone) : undefined) ??
    (start.error instanceof ApiError ? start.error.fieldMessage('mapping') : undefined);
  const columns = job.headers.map((h) => ({ value: h, label: h }));
  return (
    <form
      noValidate
      className="grid gap-4"
      onSubmit={form.handleSubmit((mapping) => start.mutate(mapping))}
    >
      <p className="text-sm">
        <span className="font-medium">{job.fileName}</span>: {job.totalRows} rows.
      </p>
      {start.isError && !phoneError ? (
        <Alert variant="destructive">
          <AlertCircleIcon aria-hidden="true" />
          <p>{errorMessage(start.error)}</p>
        </Alert>
      ) : null}
      <Field id={`${uid}-phone`} label="Phone column" error={phoneError}>
        <Controller
          control={form.control}
          name="phone"
          render={({ field }) => (
            <Select
              id={`${uid}-phone`}
              value={field.value}
              onValueChange={field.onChange}
              options={columns}
              placeholder="Choose the column with the numbers"
              invalid={!!phoneError}
              describedBy={phoneError ? `${uid}-phone-error` : undefined}
            />
          )}
        />
      </Field>
      <Field id={`${uid}-reason`} label="Reason column (optional)">
        <Controller
          control={form.control}
          name="reason"
          render={({ field }) => (
            <Select
              id={`${uid}-reason`}
              value={field.value}
              onValueChange={field.onChange}
              options={[{ value: NONE, label: 'No reason column' }, ...columns]}
            />
          )}
        />
      </Field>
      <DialogFooter>
        <DialogClose asChild>
          <Button variant="outline">Cancel</Button>
        </DialogClose>
        <Button type="submit" variant="destructive" disabled={start.isPending}>
          {start.isPending ? 'Starting…' : 'Import'}
        </Button>
      </DialogFooter>
    </form>
  );
}

function ImportFlow() {
  const queryClient = useQueryClient();
  const [uploaded, setUploaded] = useState<UploadedImport | null>(null);
  const [running, setRunning] = useState<string | null>(null);
  const upload = useMutation({
    mutationFn: (file: File) => uploadImport(file, 'dnc'),
    onSuccess: setUploaded,
  });
  const refresh = useCallback(() => refreshAfterDncChange(queryClient), [queryClient]);

  if (running) {
    return (
      <>
        <ImportProgress
          query={importQuery(running)}
          errorsCsvUrl={errorsCsvUrl(running)}
          onDone={refresh}
        />
        <DialogFooter>
          <DialogClose asChild>
            <Button>Done</Button>
          </DialogClose>
        </DialogFooter>
      </>
    );
  }
  if (uploaded) return <ColumnsForm job={uploaded} onStarted={setRunning} />;
  return (
    <>
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
    </>
  );
}

export function DncImportDialog({
  open,
  onOpenChange,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="sm:max-w-xl">
        <DialogHeader>
          <DialogTitle>Import numbers from CSV</DialogTitle>
          <DialogDescription>
            Every number goes on the Do Not Call list; open call and SMS follow-ups of their
            contacts fail now. Numbers already listed are skipped.
          </DialogDescription>
        </DialogHeader>
        {open ? <ImportFlow /> : null}
      </DialogContent>
    </Dialog>
  );
}
