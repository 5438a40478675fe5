/**
 * The schedule dialog's form (SPEC §7.2.1): it holds the values (react-hook-form with the
 * shared zod contracts), sends them, and composes the fields with the preview hint.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { BanIcon } from 'lucide-react';
import { useMemo, useRef, useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { toast } from 'sonner';
import { TYPE_LABELS } from '../../../../core/follow-up.ts';
import { FormError, splitErrors } from '../../../components/form-refusal.tsx';
import { Alert } from '../../../components/ui/alert.tsx';
import { Button } from '../../../components/ui/button.tsx';
import { DialogClose, DialogFooter } from '../../../components/ui/dialog.tsx';
import { ApiError } from '../../../lib/api.ts';
import { formatDateTime, fromLocalInputValue } from '../../../lib/format.ts';
import { contactKeys } from '../../../lib/query-keys.ts';
import {
  createFollowUp,
  followUpKeys,
  newIdempotencyKey,
  type UpdateFollowUpInput,
  updateFollowUp,
} from '../api.ts';
import { FollowUpFields } from './follow-up-fields.tsx';
import {
  FOLLOW_UP_FORM_FIELDS,
  type FollowUpFormInput,
  type FollowUpFormMode,
  type FollowUpFormOutput,
  FollowUpFormSchema,
  followUpFormDefaults,
  INHERIT,
} from './follow-up-form-values.ts';
import { ScheduleHint } from './schedule-hint.tsx';

export function FollowUpForm({ mode, onDone }: { mode: FollowUpFormMode; onDone: () => void }) {
  const queryClient = useQueryClient();
  const { contact } = mode;
  const editing = mode.kind === 'edit' ? mode.followUp : null;
  const idempotencyKey = useRef(newIdempotencyKey());
  const [formError, setFormError] = useState<string | null>(null);

  const doNotCall = contact.doNotCall;
  const defaultValues = useMemo(
    () => followUpFormDefaults({ doNotCall }, editing),
    [editing, doNotCall],
  );
  const form = useForm<FollowUpFormInput, unknown, FollowUpFormOutput>({
    resolver: zodResolver(FollowUpFormSchema),
    defaultValues,
    mode: 'onSubmit',
    reValidateMode: 'onChange',
  });
  const { dirtyFields } = form.formState;
  const [type, scheduledAtLocal, allowOutOfWindow] = useWatch({
    control: form.control,
    name: ['type', 'scheduledAt', 'allowOutOfWindow'],
  });
  const blockedByDnc = contact.doNotCall && (type === 'call' || type === 'sms');

  const mutation = useMutation({
    mutationFn: async (values: FollowUpFormOutput) => {
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
      const { byField, rest } = splitErrors(error, FOLLOW_UP_FORM_FIELDS);
      for (const name of FOLLOW_UP_FORM_FIELDS) {
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

      <FollowUpFields
        form={form}
        contact={contact}
        editing={editing}
        scheduleHint={
          <ScheduleHint
            contactId={contact.id}
            type={type}
            scheduledAt={fromLocalInputValue(scheduledAtLocal ?? '')}
            allowOutOfWindow={!!allowOutOfWindow}
            campaignId={editing?.campaignId}
          />
        }
      />

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
