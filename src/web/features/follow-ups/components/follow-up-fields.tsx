/**
 * The schedule dialog's fields: type, time (with the preview hint the form passes in), agent,
 * priority, attempts, the out-of-window override and notes. The form owns their state.
 */
import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useId, useMemo } from 'react';
import { Controller, type UseFormReturn } from 'react-hook-form';
import { INHERIT_LABEL } from '../../../../core/agent-routing.ts';
import {
  type FollowUpType,
  PRIORITY_LABELS,
  type Priority,
  TYPE_LABELS,
} from '../../../../core/follow-up.ts';
import { Checkbox } from '../../../components/ui/checkbox.tsx';
import { describedBy, Field } from '../../../components/ui/field.tsx';
import { Input } from '../../../components/ui/input.tsx';
import { Label } from '../../../components/ui/label.tsx';
import { Select, type SelectOption } from '../../../components/ui/select.tsx';
import { Textarea } from '../../../components/ui/textarea.tsx';
import { errorMessage } from '../../../lib/api.ts';
import { agentsQuery } from '../../../lib/shared-queries.ts';
import type { FollowUp } from '../api.ts';
import {
  type DialogContact,
  type FollowUpFormInput,
  type FollowUpFormOutput,
  INHERIT,
} from './follow-up-form-values.ts';

const TYPE_OPTIONS = (['call', 'sms', 'webhook'] as const).map((value) => ({
  value,
  label: TYPE_LABELS[value],
}));
const PRIORITY_OPTIONS = (['low', 'normal', 'high', 'urgent'] as const).map((value) => ({
  value,
  label: PRIORITY_LABELS[value],
}));

export function FollowUpFields({
  form,
  contact,
  editing,
  scheduleHint,
}: {
  form: UseFormReturn<FollowUpFormInput, unknown, FollowUpFormOutput>;
  contact: DialogContact;
  editing: FollowUp | null;
  /** Shown under "Scheduled at". */
  scheduleHint: ReactNode;
}) {
  const uid = useId();
  const fid = (name: string) => `${uid}-${name}`;
  const { errors } = form.formState;

  // Opening the dialog loads the agents (again, if they were loaded before).
  const agents = useQuery({ ...agentsQuery, refetchOnMount: 'always' });
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

  const typeOptions = TYPE_OPTIONS.map((o) => ({
    ...o,
    disabled: contact.doNotCall && o.value !== 'webhook',
  }));

  return (
    <>
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
        hint={scheduleHint}
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
    </>
  );
}
