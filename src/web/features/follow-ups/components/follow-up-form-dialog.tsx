/**
 * The "Schedule follow-up" dialog (SPEC §7.2.1) and its twin for "Reschedule". Loaded on
 * demand: the form, its validation (the shared zod contracts) and the preview live here.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { BanIcon } from 'lucide-react';
import { useId, useMemo, useRef, useState } from 'react';
import { Controller, useForm, useWatch } from 'react-hook-form';
import { toast } from 'sonner';
import { z } from 'zod';
import {
  CreateFollowUpBody,
  FollowUpPriority,
  FollowUpType as FollowUpTypeSchema,
} from '../../../../contracts/follow-ups.contract.ts';
import { INHERIT_LABEL } from '../../../../core/agent-routing.ts';
import {
  type FollowUpType,
  PRIORITY_LABELS,
  type Priority,
  TYPE_LABELS,
} from '../../../../core/follow-up.ts';
import { FormError, splitErrors } from '../../../components/form-refusal.tsx';
import { Alert } from '../../../components/ui/alert.tsx';
import { Button } from '../../../components/ui/button.tsx';
import { Checkbox } from '../../../components/ui/checkbox.tsx';
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
import { Label } from '../../../components/ui/label.tsx';
import { Select, type SelectOption } from '../../../components/ui/select.tsx';
import { Textarea } from '../../../components/ui/textarea.tsx';
import { ApiError, errorMessage } from '../../../lib/api.ts';
import {
  defaultScheduledAt,
  formatDateTime,
  fromLocalInputValue,
  toLocalInputValue,
} from '../../../lib/format.ts';
import { agentsQuery } from '../../agents/api.ts';
import { contactKeys } from '../../contacts/api.ts';
import {
  createFollowUp,
  type FollowUp,
  followUpKeys,
  newIdempotencyKey,
  type UpdateFollowUpInput,
  updateFollowUp,
} from '../api.ts';
import { ScheduleHint } from './schedule-hint.tsx';

const INHERIT = '__inherit__';

const FormSchema = z.object({
  type: FollowUpTypeSchema,
  scheduledAt: z
    .string()
    .min(1, 'Choose a date and time.')
    .refine((value) => fromLocalInputValue(value) !== null, 'Choose a valid date and time.'),
  agentId: z.string(),
  priority: FollowUpPriority,
  maxAttempts: CreateFollowUpBody.shape.maxAttempts.unwrap(),
  allowOutOfWindow: z.boolean(),
  notes: CreateFollowUpBody.shape.notes.unwrap(),
});
type FormInput = z.input<typeof FormSchema>;
type FormOutput = z.output<typeof FormSchema>;
type FieldName = keyof FormInput;
const FIELDS: FieldName[] = [
  'type',
  'scheduledAt',
  'agentId',
  'priority',
  'maxAttempts',
  'allowOutOfWindow',
  'notes',
];

const TYPE_OPTIONS = (['call', 'sms', 'webhook'] as const).map((value) => ({
  value,
  label: TYPE_LABELS[value],
}));
const PRIORITY_OPTIONS = (['low', 'normal', 'high', 'urgent'] as const).map((value) => ({
  value,
  label: PRIORITY_LABELS[value],
}));

export interface DialogContact {
  id: string;
  name: string;
  doNotCall: boolean;
}

type Mode =
  | { kind: 'create'; contact: DialogContact }
  | { kind: 'edit'; contact: DialogContact; followUp: FollowUp };

function FollowUpForm({ mode, onDone }: { mode: Mode; onDone: () => void }) {
  const queryClient = useQueryClient();
  const uid = useId();
  const fid = (name: string) => `${uid}-${name}`;
  const { contact } = mode;
  const editing = mode.kind === 'edit' ? mode.followUp : null;
  const idempotencyKey = useRef(newIdempotencyKey());
  const [formError, setFormError] = useState<string | null>(null);

  // Opening the dialog loads the agents (again, if they were loaded before).
  const agents = useQuery({ ...agentsQuery, refetchOnMount: 'always' });

  const defaultValues = useMemo<FormInput>(
    () =>
      editing
        ? {
            type: editing.type,
            scheduledAt: toLocalInputValue(new Date(editing.scheduledAt)),
            agentId: editing.agentId ?? INHERIT,
            priority: editing.priority,
            maxAttempts: editing.maxAttempts,
            allowOutOfWindow: editing.allowOutOfWindow,
            notes: editing.notes ?? '',
          }
        : {
            type: contact.doNotCall ? 'webhook' : 'call',
            scheduledAt: toLocalInputValue(defaultScheduledAt()),
            agentId: INHERIT,
            priority: 'normal',
            maxAttempts: 3,
            allowOutOfWindow: false,
            notes: '',
          },
    [editing, contact.doNotCall],
  );

  const form = useForm<FormInput, unknown, FormOutput>({
    resolver: zodResolver(FormSchema),
    defaultValues,
    mode: 'onSubmit',
    reValidateMode: 'onChange',
  });
  const { errors, dirtyFields } = form.formState;
  const [type, scheduledAtLocal, allowOutOfWindow] = useWatch({
    control: form.control,
    name: ['type', 'scheduledAt', 'allowOutOfWindow'],
  });
  const scheduledAtIso = fromLocalInputValue(scheduledAtLocal ?? '');
  const blockedByDnc = contact.doNotCall && (type === 'call' || type === 'sms');

  const agentOptions = useMemo<SelectOption[]>(() => {
    const items = agents.data?.items ?? [];
    const options: SelectOption[] = [{ value: INHERIT, label: INHERIT_LABEL }];
    for (const agent of items) {
      if (agent.status === 'active') options.push({ value: agent.id, label: agent.name });
      else if (editing?.agentId === agent.id) {
        options.push({ value: agent.id, label: `${agent.name} (inactive)`, disabled: true });
      }
    }
    if (editing?.agent && !options.some((o) => o.value === editing.agent?.id)) {
      options.push({ value: editing.agent.id, label: editing.agent.name });
    }
    return options;
  }, [agents.data, editing]);

  const mutation = useMutation({
    mutationFn: async (values: FormOutput) => {
      const scheduledAt = fromLocalInputValue(values.scheduledAt) as string;
      const agentId = values.agentId === INHERIT ? null : values.agentId;
      if (!editing) {
        return createFollowUp(
          {
            contactId: contact.id,
            type: values.type,
            scheduledAt,
            agentId,
            priority: values.priority,
            maxAttempts: values.maxAttempts,
            allowOutOfWindow: values.allowOutOfWindow,
            notes: values.notes,
            campaignId: null,
          },
          idempotencyKey.current,
        );
      }
      const body: UpdateFollowUpInput = {};
      if (dirtyFields.scheduledAt) body.scheduledAt = scheduledAt;
      if (dirtyFields.agentId) body.agentId = agentId;
      if (dirtyFields.priority) body.priority = values.priority;
      if (dirtyFields.maxAttempts) body.maxAttempts = values.maxAttempts;
      if (dirtyFields.allowOutOfWindow) body.allowOutOfWindow = values.allowOutOfWindow;
      if (dirtyFields.notes) body.notes = values.notes;
      if (Object.keys(body).length === 0) {
        throw new ApiError({
          status: 400,
          title: 'Nothing changed',
          detail: 'Change at least one field, or close the dialog.',
        });
      }
      return updateFollowUp(editing.id, body);
    },
    onSuccess: async (followUp) => {
      toast.success(editing ? 'Follow-up rescheduled' : 'Follow-up scheduled', {
        description: `${TYPE_LABELS[followUp.type]} for ${followUp.contact.name}, ${formatDateTime(followUp.scheduledAt)}`,
      });
      onDone();
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: followUpKeys.all }),
        queryClient.invalidateQueries({ queryKey: contactKeys.detail(contact.id) }),
      ]);
    },
    onError: (error) => {
      // A refusal created nothing: the next try may use a new key. After a network failure
      // the first request may have arrived, so the same key makes the retry safe.
      if (error instanceof ApiError && error.status !== 0) {
        idempotencyKey.current = newIdempotencyKey();
      }
      const { byField, rest } = splitErrors(error, FIELDS);
      for (const name of FIELDS) {
        const message = byField[name];
        if (message) form.setError(name, { type: 'server', message }, { shouldFocus: true });
      }
      setFormError(rest);
    },
  });

  const onSubmit = form.handleSubmit((values) => {
    setFormError(null);
    mutation.mutate(values);
  });
  const saving = mutation.isPending;
  const submitLabel = editing
    ? saving
      ? 'Saving…'
      : 'Save changes'
    : saving
      ? 'Scheduling…'
      : 'Schedule';

  const typeOptions = TYPE_OPTIONS.map((o) => ({
    ...o,
    disabled: contact.doNotCall && o.value !== 'webhook',
  }));

  return (
    <form noValidate onSubmit={onSubmit} className="grid gap-4" aria-busy={saving}>
      {contact.doNotCall ? (
        <Alert variant="warning" data-testid="dnc-warning">
          <BanIcon aria-hidden="true" />
          <div>
            <p className="font-medium">{contact.name} is on the Do Not Call list.</p>
            <p>Calls and SMS cannot be scheduled for this contact; a webhook still can.</p>
          </div>
        </Alert>
      ) : null}
      <FormError message={formError} />

      <Field id={fid('type')} label="Type" error={errors.type?.message}>
        <Controller
          control={form.control}
          name="type"
          render={({ field }) => (
            <Select
              id={fid('type')}
              value={field.value}
              onValueChange={(v) => field.onChange(v as FollowUpType)}
              options={typeOptions}
              disabled={!!editing}
              invalid={!!errors.type}
              describedBy={describedBy(fid('type'), { error: !!errors.type })}
            />
          )}
        />
      </Field>

      <Field
        id={fid('scheduledAt')}
        label="Scheduled at"
        error={errors.scheduledAt?.message}
        hint={
          <ScheduleHint
            contactId={contact.id}
            type={type}
            scheduledAt={scheduledAtIso}
            allowOutOfWindow={!!allowOutOfWindow}
            campaignId={editing?.campaignId}
          />
        }
      >
        <Input
          id={fid('scheduledAt')}
          type="datetime-local"
          step={60}
          aria-invalid={errors.scheduledAt ? true : undefined}
          aria-describedby={describedBy(fid('scheduledAt'), {
            hint: true,
            error: !!errors.scheduledAt,
          })}
          {...form.register('scheduledAt')}
        />
      </Field>

      <Field
        id={fid('agentId')}
        label="Agent"
        error={
          errors.agentId?.message ??
          (agents.isError
            ? `The agents could not be loaded: ${errorMessage(agents.error)}`
            : undefined)
        }
      >
        <Controller
          control={form.control}
          name="agentId"
          render={({ field }) => (
            <Select
              id={fid('agentId')}
              value={field.value}
              onValueChange={field.onChange}
              options={agentOptions}
              invalid={!!errors.agentId}
              describedBy={describedBy(fid('agentId'), { error: !!errors.agentId })}
            />
          )}
        />
      </Field>

      <div className="grid gap-4 sm:grid-cols-2">
        <Field id={fid('priority')} label="Priority" error={errors.priority?.message}>
          <Controller
            control={form.control}
            name="priority"
            render={({ field }) => (
              <Select
                id={fid('priority')}
                value={field.value}
                onValueChange={(v) => field.onChange(v as Priority)}
                options={PRIORITY_OPTIONS}
                invalid={!!errors.priority}
                describedBy={describedBy(fid('priority'), { error: !!errors.priority })}
              />
            )}
          />
        </Field>
        <Field id={fid('maxAttempts')} label="Max attempts" error={errors.maxAttempts?.message}>
          <Input
            id={fid('maxAttempts')}
            type="number"
            inputMode="numeric"
            min={1}
            max={10}
            step={1}
            aria-invalid={errors.maxAttempts ? true : undefined}
            aria-describedby={describedBy(fid('maxAttempts'), { error: !!errors.maxAttempts })}
            {...form.register('maxAttempts', { valueAsNumber: true })}
          />
        </Field>
      </div>

      <div className="grid gap-1.5">
        <div className="flex items-start gap-2.5">
          <Controller
            control={form.control}
            name="allowOutOfWindow"
            render={({ field }) => (
              <Checkbox
                id={fid('allowOutOfWindow')}
                checked={field.value}
                onCheckedChange={(checked) => field.onChange(checked === true)}
                onBlur={field.onBlur}
                className="mt-0.5"
                aria-describedby={`${fid('allowOutOfWindow')}-hint`}
              />
            )}
          />
          <div className="grid gap-1">
            <Label htmlFor={fid('allowOutOfWindow')}>Allow out-of-window (customer override)</Label>
            <p id={`${fid('allowOutOfWindow')}-hint`} className="text-muted-foreground text-xs">
              Only when the customer asked to be reached outside the calling window. Do Not Call
              still applies.
            </p>
          </div>
        </div>
        {errors.allowOutOfWindow?.message ? (
          <p className="font-medium text-destructive text-xs" role="alert">
            {errors.allowOutOfWindow.message}
          </p>
        ) : null}
      </div>

      <Field id={fid('notes')} label="Notes" error={errors.notes?.message}>
        <Textarea
          id={fid('notes')}
          rows={3}
          placeholder="Optional: what the agent should know"
          aria-invalid={errors.notes ? true : undefined}
          aria-describedby={describedBy(fid('notes'), { error: !!errors.notes })}
          {...form.register('notes')}
        />
      </Field>

      <DialogFooter className="pt-1">
        <DialogClose asChild>
          <Button variant="outline">Cancel</Button>
        </DialogClose>
        <Button type="submit" disabled={saving || blockedByDnc}>
          {submitLabel}
        </Button>
      </DialogFooter>
    </form>
  );
}

export function ScheduleFollowUpDialog({
  open,
  onOpenChange,
  contact,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  contact: DialogContact;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="sm:max-w-xl">
        <DialogHeader>
          <DialogTitle>Schedule follow-up</DialogTitle>
          <DialogDescription>For {contact.name}. Times are in your time zone.</DialogDescription>
        </DialogHeader>
        <FollowUpForm mode={{ kind: 'create', contact }} onDone={() => onOpenChange(false)} />
      </DialogContent>
    </Dialog>
  );
}

export function RescheduleFollowUpDialog({
  open,
  onOpenChange,
  followUp,
  contact,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  followUp: FollowUp;
  contact: DialogContact;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="sm:max-w-xl">
        <DialogHeader>
          <DialogTitle>Reschedule follow-up</DialogTitle>
          <DialogDescription>
            {TYPE_LABELS[followUp.type]} for {contact.name}. Times are in your time zone; saving
            schedules it again with these values.
          </DialogDescription>
        </DialogHeader>
        <FollowUpForm
          mode={{ kind: 'edit', contact, followUp }}
          onDone={() => onOpenChange(false)}
        />
      </DialogContent>
    </Dialog>
  );
}
