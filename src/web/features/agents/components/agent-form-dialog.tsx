/**
 * "New agent" and "Edit agent" on /agents (admins): name, description, capacity, the agent on
 * the voice platform and its caller number, active and default. The platform agent id and the
 * number are picked from what the workspace's voice platform lists ("Test connection"), or typed
 * when it lists none or cannot be reached. Obvious mistakes are caught here; the server decides
 * the rest (a name already taken, an agent still in use that cannot be deactivated) and its
 * reasons go next to the fields, with everything typed kept.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { toast } from 'sonner';
import { z } from 'zod';
import {
  AGENT_CAPACITY_RANGE,
  AGENT_DESCRIPTION_MAX_LENGTH,
  AGENT_NAME_MAX_LENGTH,
  EXTERNAL_AGENT_ID_MAX_LENGTH,
} from '../../../../contracts/agents.contract.ts';
import { FormError } from '../../../components/form-refusal.tsx';
import { PickOrType } from '../../../components/pick-or-type.tsx';
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
import { Textarea } from '../../../components/ui/textarea.tsx';
import { ApiError, errorMessage } from '../../../lib/api.ts';
import {
  TESTABLE_PROVIDERS,
  voicePlatformQuery,
  voiceTestQuery,
} from '../../../lib/voice-platform.ts';
import { type Agent, createAgent, updateAgent } from '../api.ts';

const { min, max } = AGENT_CAPACITY_RANGE;
const capacityMessage = `Give a whole number from ${min} to ${max}.`;

const FormSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'Give the agent a name.')
    .max(AGENT_NAME_MAX_LENGTH, `The name can be at most ${AGENT_NAME_MAX_LENGTH} characters.`),
  description: z
    .string()
    .trim()
    .max(
      AGENT_DESCRIPTION_MAX_LENGTH,
      `The description can be at most ${AGENT_DESCRIPTION_MAX_LENGTH} characters.`,
    ),
  maxConcurrentCalls: z
    .number({ message: capacityMessage })
    .int(capacityMessage)
    .min(min, capacityMessage)
    .max(max, capacityMessage),
  externalAgentId: z
    .string()
    .trim()
    .max(
      EXTERNAL_AGENT_ID_MAX_LENGTH,
      `The platform agent id can be at most ${EXTERNAL_AGENT_ID_MAX_LENGTH} characters.`,
    )
    .regex(/^\S*$/, 'The platform agent id has no spaces.'),
  fromNumber: z
    .string()
    .trim()
    .regex(/^(\+[1-9]\d{6,14})?$/, 'Give the number in E.164 form, like +12125550100.'),
  active: z.boolean(),
  isDefault: z.boolean(),
});
type FormValues = z.infer<typeof FormSchema>;
type FieldName = keyof FormValues;

/** Where the server's field paths show up in this form. */
const FIELD_OF: Record<string, FieldName> = {
  name: 'name',
  description: 'description',
  maxConcurrentCalls: 'maxConcurrentCalls',
  externalAgentId: 'externalAgentId',
  fromNumber: 'fromNumber',
  status: 'active',
  isDefault: 'isDefault',
};

function valuesOf(agent: Agent | null): FormValues {
  return {
    name: agent?.name ?? '',
    description: agent?.description ?? '',
    maxConcurrentCalls: agent?.maxConcurrentCalls ?? 5,
    externalAgentId: agent?.externalAgentId ?? '',
    fromNumber: agent?.fromNumber ?? '',
    active: agent ? agent.status === 'active' : true,
    isDefault: agent?.isDefault ?? false,
  };
}

function save(agent: Agent | null, values: FormValues) {
  const body = {
    name: values.name,
    description: values.description.trim() === '' ? null : values.description,
    maxConcurrentCalls: values.maxConcurrentCalls,
    externalAgentId: values.externalAgentId === '' ? null : values.externalAgentId,
    fromNumber: values.fromNumber === '' ? null : values.fromNumber,
    status: values.active ? ('active' as const) : ('inactive' as const),
    isDefault: values.isDefault,
  };
  return agent ? updateAgent(agent.id, body) : createAgent(body);
}

const PLATFORM_NAMES: Record<string, string> = { retell: 'Retell', vapi: 'Vapi', twilio: 'Twilio' };

type Listing = { state: 'none' | 'asking' | 'listed' } | { state: 'failed'; error: string | null };

/** Says where the choices come from, or why the value is typed. */
function listingHint(
  listing: Listing,
  platform: string,
  count: number,
  what: string,
  thing: string,
): string {
  if (listing.state === 'asking') return `Asking ${platform} for its ${what}…`;
  if (listing.state === 'failed') {
    return `${platform} could not list its ${what}${listing.error ? ` (${listing.error})` : ''}: type the ${thing}. Settings › Voice platform shows why.`;
  }
  if (listing.state === 'listed' && count > 0) {
    return `One of the ${what} ${platform} lists, or another one typed. Calls placed through ${platform} need it.`;
  }
  if (listing.state === 'listed') return `${platform} lists no ${what}: type the ${thing}.`;
  return "The Retell agent id or Vapi assistant id that places this agent's calls.";
}

function AgentForm({ agent, onDone }: { agent: Agent | null; onDone: () => void }) {
  const uid = useId();
  const fid = (name: FieldName) => `${uid}-${name}`;
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<FormValues>({
    resolver: zodResolver(FormSchema),
    defaultValues: valuesOf(agent),
    mode: 'onSubmit',
    reValidateMode: 'onChange',
  });
  const { errors } = form.formState;
  // What the workspace's voice platform lists ("Test connection"), to pick from.
  const platform = useQuery(voicePlatformQuery);
  const provider = platform.data?.provider;
  const testable = !!provider && TESTABLE_PROVIDERS.includes(provider);
  const listed = useQuery({ ...voiceTestQuery, enabled: testable });
  const platformName = PLATFORM_NAMES[provider ?? ''] ?? 'the voice platform';
  const listing: Listing = !testable
    ? { state: 'none' }
    : listed.isPending
      ? { state: 'asking' }
      : listed.data?.ok
        ? { state: 'listed' }
        : {
            state: 'failed',
            error: listed.data?.error ?? (listed.error ? errorMessage(listed.error) : null),
          };
  const agentOptions = (listed.data?.ok ? listed.data.agents : []).map((a) => ({
    value: a.id,
    label: a.name === a.id ? a.id : `${a.name} · ${a.id}`,
  }));
  // Vapi calls come from its phone number id, not from an agent's number.
  const numberOptions =
    provider === 'vapi'
      ? []
      : (listed.data?.ok ? listed.data.numbers : [])
          .filter((n) => /^\+[1-9]\d{6,14}$/.test(n.number))
          .map((n) => ({ value: n.number, label: n.name ? `${n.number} · ${n.name}` : n.number }));
  const isDefault = form.watch('isDefault');
  // The default agent stays the default until another one takes over, and stays active.
  const wasDefault = agent?.isDefault ?? false;

  const mutation = useMutation({
    mutationFn: (values: FormValues) => save(agent, values),
    onSuccess: async (saved) => {
      toast.success(agent ? 'Agent saved' : 'Agent created', { description: saved.name });
      onDone();
      await queryClient.invalidateQueries({ queryKey: ['agents'] });
    },
    onError: (error) => {
      if (!(error instanceof ApiError)) {
        setFormError(errorMessage(error));
        return;
      }
      const leftovers: string[] = [];
      let first = true;
      for (const problem of error.errors) {
        const field = FIELD_OF[problem.path.split('.')[0] ?? ''];
        if (field) {
          form.setError(
            field,
            { type: 'server', message: problem.message },
            { shouldFocus: first },
          );
          first = false;
        } else {
          leftovers.push(problem.message);
        }
      }
      // The detail says why (e.g. how many follow-ups still use the agent): show it on top.
      setFormError(leftovers.length ? leftovers.join(' ') : error.detail);
    },
  });

  const onSubmit = form.handleSubmit((values) => {
    setFormError(null);
    mutation.mutate(values);
  });

  const checkbox = (name: 'active' | 'isDefault', label: string, hint: string, off: boolean) => (
    <div className="grid gap-1.5">
      <div className="flex items-start gap-2.5">
        <Controller
          control={form.control}
          name={name}
          render={({ field }) => (
            <Checkbox
              id={fid(name)}
              checked={field.value}
              disabled={off}
              onCheckedChange={(checked) => field.onChange(checked === true)}
              onBlur={field.onBlur}
              className="mt-0.5"
              aria-invalid={errors[name] ? true : undefined}
              aria-describedby={describedBy(fid(name), { hint: true, error: !!errors[name] })}
            />
          )}
        />
        <div className="grid gap-1">
          <Label htmlFor={fid(name)}>{label}</Label>
          <p id={`${fid(name)}-hint`} className="text-muted-foreground text-xs">
            {hint}
          </p>
        </div>
      </div>
      {errors[name]?.message ? (
        <p id={`${fid(name)}-error`} className="font-medium text-destructive text-xs" role="alert">
          {errors[name].message}
        </p>
      ) : null}
    </div>
  );

  return (
    <form noValidate onSubmit={onSubmit} className="grid gap-4" aria-busy={mutation.isPending}>
      <FormError message={formError} />
      <Field id={fid('name')} label="Name" error={errors.name?.message}>
        <Input
          id={fid('name')}
          autoComplete="off"
          maxLength={AGENT_NAME_MAX_LENGTH}
          aria-invalid={errors.name ? true : undefined}
          aria-describedby={describedBy(fid('name'), { error: !!errors.name })}
          {...form.register('name')}
        />
      </Field>
      <Field id={fid('description')} label="Description" error={errors.description?.message}>
        <Textarea
          id={fid('description')}
          rows={2}
          maxLength={AGENT_DESCRIPTION_MAX_LENGTH}
          placeholder="Optional: what this agent handles"
          aria-invalid={errors.description ? true : undefined}
          aria-describedby={describedBy(fid('description'), { error: !!errors.description })}
          {...form.register('description')}
        />
      </Field>
      <Field
        id={fid('maxConcurrentCalls')}
        label="Max concurrent calls"
        error={errors.maxConcurrentCalls?.message}
        hint={`Calls this agent may have in progress at once (${min} to ${max}). More wait in the queue.`}
      >
        <Input
          id={fid('maxConcurrentCalls')}
          type="number"
          inputMode="numeric"
          min={min}
          max={max}
          step={1}
          className="w-32"
          aria-invalid={errors.maxConcurrentCalls ? true : undefined}
          aria-describedby={describedBy(fid('maxConcurrentCalls'), {
            hint: true,
            error: !!errors.maxConcurrentCalls,
          })}
          {...form.register('maxConcurrentCalls', { valueAsNumber: true })}
        />
      </Field>
      <Field
        id={fid('externalAgentId')}
        label="Platform agent id"
        error={errors.externalAgentId?.message}
        hint={listingHint(listing, platformName, agentOptions.length, 'agents', 'id')}
      >
        <Controller
          control={form.control}
          name="externalAgentId"
          render={({ field }) => (
            <PickOrType
              id={fid('externalAgentId')}
              field={field}
              options={agentOptions}
              noneLabel="None yet"
              otherLabel="Another id (type it)"
              invalid={!!errors.externalAgentId}
              describedBy={describedBy(fid('externalAgentId'), {
                hint: true,
                error: !!errors.externalAgentId,
              })}
              input={{
                maxLength: EXTERNAL_AGENT_ID_MAX_LENGTH,
                placeholder: 'Optional: e.g. agent_3f1c…',
              }}
            />
          )}
        />
      </Field>
      <Field
        id={fid('fromNumber')}
        label="Calls from"
        error={errors.fromNumber?.message}
        hint={
          numberOptions.length > 0
            ? `The caller number for this agent, from ${platformName}'s numbers. "The workspace's number" uses the default caller.`
            : "The caller number for this agent (E.164). Empty uses the workspace's number."
        }
      >
        <Controller
          control={form.control}
          name="fromNumber"
          render={({ field }) => (
            <PickOrType
              id={fid('fromNumber')}
              field={field}
              options={numberOptions}
              noneLabel="The workspace's number"
              otherLabel="Another number (type it)"
              invalid={!!errors.fromNumber}
              describedBy={describedBy(fid('fromNumber'), {
                hint: true,
                error: !!errors.fromNumber,
              })}
              input={{ type: 'tel', placeholder: '+12125550100', className: 'sm:w-48' }}
            />
          )}
        />
      </Field>
      {checkbox(
        'active',
        'Active',
        isDefault
          ? 'The default agent is always active.'
          : 'Only active agents place calls and can be chosen for follow-ups.',
        isDefault,
      )}
      {checkbox(
        'isDefault',
        'Default agent',
        wasDefault
          ? 'To change the default, make another agent the default.'
          : 'Places the calls of follow-ups that inherit no other agent. Replaces the current default.',
        wasDefault,
      )}
      <DialogFooter className="pt-1">
        <DialogClose asChild>
          <Button variant="outline">Cancel</Button>
        </DialogClose>
        <Button type="submit" disabled={mutation.isPending}>
          {mutation.isPending ? 'Saving…' : agent ? 'Save agent' : 'Create agent'}
        </Button>
      </DialogFooter>
    </form>
  );
}

/** The dialog: `agent` null creates one, an agent edits it. */
export function AgentFormDialog({
  agent,
  open,
  onOpenChange,
}: {
  agent: Agent | null;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="sm:max-w-lg">
        <DialogHeader>
          <DialogTitle>{agent ? 'Edit agent' : 'New agent'}</DialogTitle>
          <DialogDescription>
            {agent
              ? `Changes apply to the next calls ${agent.name} places.`
              : 'An AI voice agent that places calls for the workspace.'}
          </DialogDescription>
        </DialogHeader>
        {open ? <AgentForm agent={agent} onDone={() => onOpenChange(false)} /> : null}
      </DialogContent>
    </Dialog>
  );
}
