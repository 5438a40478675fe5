import { AlertCircleIcon } from 'lucide-react';
import { useId, useState } from 'react';
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

function SnoozeForm({ onConfirm }: { onConfirm: (untilIso: string) => Promise<void> }) {
  const id = useId();
  const [value, setValue] = useState(() => toLocalInputValue(defaultSnoozeUntil()));
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  return (
    <form
      noValidate
      className="grid gap-4"
      onSubmit={async (event) => {
        event.preventDefault();
        setProblem(null);
        const iso = fromLocalInputValue(value);
        if (!iso) return setFieldError('Choose a date and time.');
        if (Date.parse(iso) <= Date.now()) return setFieldError('Choose a time in the future.');
        setFieldError(null);
        setSaving(true);
        try {
          await onConfirm(iso);
        } catch (error) {
          setProblem(errorMessage(error));
        } finally {
          setSaving(false);
        }
      }}
    >
      {problem ? (
        <Alert variant="destructive">
          <AlertCircleIcon aria-hidden="true" />
          <p>{problem}</p>
        </Alert>
      ) : null}
      <Field id={id} label="Snooze until" error={fieldError ?? undefined}>
        <Input
          id={id}
          type="datetime-local"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          aria-invalid={fieldError ? true : undefined}
          aria-describedby={describedBy(id, { error: !!fieldError })}
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

function CancelForm({
  count,
  onConfirm,
}: {
  count: number;
  onConfirm: (reason: string | undefined) => Promise<void>;
}) {
  const id = useId();
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  return (
    <form
      noValidate
      className="grid gap-4"
      onSubmit={async (event) => {
        event.preventDefault();
        setProblem(null);
        setSaving(true);
        try {
          await onConfirm(reason.trim() || undefined);
        } catch (error) {
          setProblem(errorMessage(error));
        } finally {
          setSaving(false);
        }
      }}
    >
      {problem ? (
        <Alert variant="destructive">
          <AlertCircleIcon aria-hidden="true" />
          <p>{problem}</p>
        </Alert>
      ) : null}
      <Field id={id} label="Reason (optional)">
        <Textarea
          id={id}
          rows={2}
          maxLength={500}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder="e.g. Reached the customer by email"
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
