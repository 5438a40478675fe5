/** "Add" a number to the Do Not Call list, and "Remove" one after a confirmation. */
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { AlertCircleIcon } from 'lucide-react';
import { useId, useState } from 'react';
import { useForm } from 'react-hook-form';
import { toast } from 'sonner';
import type { z } from 'zod';
import { AddDncBody } from '../../../../contracts/dnc.contract.ts';
import { FormError } from '../../../components/form-refusal.tsx';
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
import { describedBy, Field } from '../../../components/ui/field.tsx';
import { Input } from '../../../components/ui/input.tsx';
import { ApiError, errorMessage } from '../../../lib/api.ts';
import { formatPhone } from '../../../lib/format.ts';
import {
  type AddedDncEntry,
  addDnc,
  type DncEntry,
  failedSentence,
  refreshAfterDncChange,
  removeDnc,
} from '../api.ts';

type FormInput = z.input<typeof AddDncBody>;
type FormOutput = z.output<typeof AddDncBody>;
type FieldName = 'phone' | 'reason';

function AddForm({ onAdded }: { onAdded: (entry: AddedDncEntry) => void }) {
  const uid = useId();
  const fid = (name: FieldName) => `${uid}-${name}`;
  const [formError, setFormError] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const form = useForm<FormInput, unknown, FormOutput>({
    resolver: zodResolver(AddDncBody),
    defaultValues: { phone: '', reason: '' },
    mode: 'onSubmit',
    reValidateMode: 'onChange',
  });
  const { errors } = form.formState;

  const mutation = useMutation({
    mutationFn: (body: FormOutput) => addDnc(body),
    onSuccess: async (entry) => {
      onAdded(entry);
      toast.success(`${formatPhone(entry.phone)} is on the Do Not Call list`, {
        description: failedSentence(entry.failedFollowUps),
      });
      await refreshAfterDncChange(queryClient);
    },
    onError: (error) => {
      // Each problem next to its field; what belongs to no field goes on top.
      if (!(error instanceof ApiError)) {
        setFormError(errorMessage(error));
        return;
      }
      const rest: string[] = [];
      let first = true;
      for (const problem of error.errors) {
        const field = problem.path.split('.')[0];
        if (field === 'phone' || field === 'reason') {
          form.setError(
            field,
            { type: 'server', message: problem.message },
            { shouldFocus: first },
          );
          first = false;
        } else rest.push(problem.message);
      }
      if (error.errors.length === 0) rest.push(error.detail);
      setFormError(rest.length ? rest.join(' ') : null);
    },
  });

  const onSubmit = form.handleSubmit((body) => {
    setFormError(null);
    mutation.mutate(body);
  });

  return (
    <form noValidate className="grid gap-4" aria-busy={mutation.isPending} onSubmit={onSubmit}>
      <FormError message={formError} />
      <Field
        id={fid('phone')}
        label="Phone"
        error={errors.phone?.message}
        hint="International format (+44 20 7946 0018), or a national number of the workspace's country."
      >
        <Input
          id={fid('phone')}
          type="tel"
          autoComplete="off"
          maxLength={64}
          placeholder="+1 212 555 0100"
          aria-invalid={errors.phone ? true : undefined}
          aria-describedby={describedBy(fid('phone'), { hint: true, error: !!errors.phone })}
          {...form.register('phone')}
        />
      </Field>
      <Field id={fid('reason')} label="Reason (optional)" error={errors.reason?.message}>
        <Input
          id={fid('reason')}
          maxLength={500}
          placeholder="e.g. Asked not to be called again"
          aria-invalid={errors.reason ? true : undefined}
          aria-describedby={describedBy(fid('reason'), { error: !!errors.reason })}
          {...form.register('reason')}
        />
      </Field>
      <DialogFooter>
        <DialogClose asChild>
          <Button variant="outline">Cancel</Button>
        </DialogClose>
        <Button type="submit" variant="destructive" disabled={mutation.isPending}>
          {mutation.isPending ? 'Adding…' : 'Add to the list'}
        </Button>
      </DialogFooter>
    </form>
  );
}

export function AddDncDialog({
  open,
  onOpenChange,
  onAdded,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onAdded: (entry: AddedDncEntry) => void;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Add to the Do Not Call list</DialogTitle>
          <DialogDescription>
            The number is never called or texted again. Open call and SMS follow-ups of the contact
            with this number fail now.
          </DialogDescription>
        </DialogHeader>
        {/* A new form each time the dialog opens: nothing typed last time lingers. */}
        {open ? (
          <AddForm
            onAdded={(entry) => {
              onOpenChange(false);
              onAdded(entry);
            }}
          />
        ) : null}
      </DialogContent>
    </Dialog>
  );
}

export function RemoveDncDialog({
  entry,
  onOpenChange,
}: {
  entry: DncEntry | null;
  onOpenChange: (open: boolean) => void;
}) {
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: (id: string) => removeDnc(id),
    onSuccess: async (_data, id) => {
      onOpenChange(false);
      toast.success(
        `${entry && entry.id === id ? formatPhone(entry.phone) : 'The number'} was removed from the Do Not Call list`,
        {
          description: 'Follow-ups failed by the listing stay failed: retry them from their pages.',
        },
      );
      await refreshAfterDncChange(queryClient);
    },
  });
  const who = entry?.contact ? ` (${entry.contact.name})` : '';
  return (
    <Dialog
      open={entry !== null}
      onOpenChange={(open) => {
        if (!open) mutation.reset();
        onOpenChange(open);
      }}
    >
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Remove from the Do Not Call list?</DialogTitle>
          <DialogDescription>
            {entry ? formatPhone(entry.phone) : ''}
            {who} may be called and texted again. Follow-ups failed by the listing stay failed until
            someone retries them.
          </DialogDescription>
        </DialogHeader>
        {mutation.isError ? (
          <Alert variant="destructive">
            <AlertCircleIcon aria-hidden="true" />
            <p>{errorMessage(mutation.error)}</p>
          </Alert>
        ) : null}
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="outline">Cancel</Button>
          </DialogClose>
          <Button
            disabled={mutation.isPending || !entry}
            onClick={() => entry && mutation.mutate(entry.id)}
          >
            {mutation.isPending ? 'Removing…' : 'Remove'}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
