import { zodResolver } from '@hookform/resolvers/zod';
import { AlertCircleIcon } from 'lucide-react';
import { useId, useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { CancelBody, SnoozeBody } from '../../../../contracts/follow-ups.contract.ts';
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
import { Textarea } from '../../../components/ui/textarea.tsx';
import { errorMessage } from '../../../lib/api.ts';
import { fromLocalInputValue, toLocalInputValue } from '../../../lib/format.ts';

/** Tomorrow at the same hour, on the hour: a sensible "snooze until". */
function defaultSnoozeUntil(now = new Date()): Date {
  const next = new Date(now.getTime() + 24 * 60 * 60_000);
  next.setMinutes(0, 0, 0);
  return next;
}

/** "Snooze": pick until when (one follow-up, or several from the list). */
export function SnoozeDialog({
  open,
  onOpenChange,
  count = 1,
  onConfirm,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  count?: number;
  onConfirm: (untilIso: string) => Promise<void>;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>
            {count === 1 ? 'Snooze follow-up' : `Snooze ${count} follow-ups`}
          </DialogTitle>
          <DialogDescription>
            A snoozed follow-up does not run until this time (your time zone); then it is scheduled
            again. Resume it earlier from its page.
          </DialogDescription>
        </DialogHeader>
        <SnoozeForm onConfirm={onConfirm} />
      </DialogContent>
    </Dialog>
  );
}

/**
 * The snooze form: a local date and time, turned into the instant the API's SnoozeBody takes,
 * and in the future.
 */
const SnoozeFormSchema = z.object({
  until: z
    .string()
    .transform((value, ctx) => {
      const iso = fromLocalInputValue(value);
      if (iso) return iso;
      ctx.addIssue({ code: 'custom', message: 'Choose a date and time.' });
      return z.NEVER;
    })
    .pipe(SnoozeBody.shape.until)
    .refine((iso) => Date.parse(iso) > Date.now(), 'Choose a time in the future.'),
});

function SnoozeForm({ onConfirm }: { onConfirm: (untilIso: string) => Promise<void> }) {
  const id = useId();
  const [problem, setProblem] = useState<string | null>(null);
  const form = useForm<
    z.input<typeof SnoozeFormSchema>,
    unknown,
    z.output<typeof SnoozeFormSchema>
  >({
    resolver: zodResolver(SnoozeFormSchema),
    defaultValues: { until: toLocalInputValue(defaultSnoozeUntil()) },
  });
  const fieldError = form.formState.errors.until?.message;
  const saving = form.formState.isSubmitting;

  return (
    <form
      noValidate
      className="grid gap-4"
      onSubmit={form.handleSubmit(async ({ until }) => {
        setProblem(null);
        try {
          await onConfirm(until);
        } catch (error) {
          setProblem(errorMessage(error));
        }
      })}
    >
      {problem ? (
        <Alert variant="destructive">
          <AlertCircleIcon aria-hidden="true" />
          <p>{problem}</p>
        </Alert>
      ) : null}
      <Field id={id} label="Snooze until" error={fieldError}>
        <Input
          id={id}
          type="datetime-local"
          aria-invalid={fieldError ? true : undefined}
          aria-describedby={describedBy(id, { error: !!fieldError })}
          {...form.register('until')}
        />
      </Field>
      <DialogFooter>
        <DialogClose asChild>
          <Button variant="outline">Cancel</Button>
        </DialogClose>
        <Button type="submit" disabled={saving}>
          {saving ? 'Snoozing…' : 'Snooze'}
        </Button>
      </DialogFooter>
    </form>
  );
}

/** "Cancel" asks first: a cancelled follow-up never runs and cannot be reopened. */
export function CancelDialog({
  open,
  onOpenChange,
  count = 1,
  onConfirm,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  count?: number;
  onConfirm: (reason: string | undefined) => Promise<void>;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>
            {count === 1 ? 'Cancel this follow-up?' : `Cancel ${count} follow-ups?`}
          </DialogTitle>
          <DialogDescription>
            {count === 1
              ? 'It will not run. This cannot be undone: schedule a new follow-up if you need one later.'
              : 'They will not run. This cannot be undone. Follow-ups that already ran or finished stay as they are.'}
          </DialogDescription>
        </DialogHeader>
        <CancelForm count={count} onConfirm={onConfirm} />
      </DialogContent>
    </Dialog>
  );
}

/** The cancel form: the reason as the API's CancelBody checks it. */
const CancelFormSchema = z.object({ reason: CancelBody.unwrap().unwrap().shape.reason });

function CancelForm({
  count,
  onConfirm,
}: {
  count: number;
  onConfirm: (reason: string | undefined) => Promise<void>;
}) {
  const id = useId();
  const [problem, setProblem] = useState<string | null>(null);
  const form = useForm<
    z.input<typeof CancelFormSchema>,
    unknown,
    z.output<typeof CancelFormSchema>
  >({
    resolver: zodResolver(CancelFormSchema),
    defaultValues: { reason: '' },
  });
  const fieldError = form.formState.errors.reason?.message;
  const saving = form.formState.isSubmitting;
  return (
    <form
      noValidate
      className="grid gap-4"
      onSubmit={form.handleSubmit(async ({ reason }) => {
        setProblem(null);
        try {
          await onConfirm(reason || undefined);
        } catch (error) {
          setProblem(errorMessage(error));
        }
      })}
    >
      {problem ? (
        <Alert variant="destructive">
          <AlertCircleIcon aria-hidden="true" />
          <p>{problem}</p>
        </Alert>
      ) : null}
      <Field id={id} label="Reason (optional)" error={fieldError}>
        <Textarea
          id={id}
          rows={2}
          maxLength={500}
          placeholder="e.g. Reached the customer by email"
          aria-invalid={fieldError ? true : undefined}
          aria-describedby={describedBy(id, { error: !!fieldError })}
          {...form.register('reason')}
        />
      </Field>
      <DialogFooter>
        <DialogClose asChild>
          <Button variant="outline">{count === 1 ? 'Keep it' : 'Keep them'}</Button>
        </DialogClose>
        <Button type="submit" variant="destructive" disabled={saving}>
          {saving ? 'Cancelling…' : count === 1 ? 'Cancel follow-up' : `Cancel ${count} follow-ups`}
        </Button>
      </DialogFooter>
    </form>
  );
}
