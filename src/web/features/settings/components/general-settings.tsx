/**
 * "General": the workspace's name, time zone, retry schedule, default expiry and default agent
 * (GET/PATCH /api/settings). Admins change them; everyone else reads them.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { PlusIcon, XIcon } from 'lucide-react';
import { useId } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { toast } from 'sonner';
import { z } from 'zod';
import { PatchSettingsBody, RetryScheduleInput } from '../../../../contracts/settings.contract.ts';
import { ErrorState } from '../../../components/error-state.tsx';
import { FormError, showRefusal } from '../../../components/form-refusal.tsx';
import { TimeZonePicker } from '../../../components/time-zone-picker.tsx';
import { Button } from '../../../components/ui/button.tsx';
import {
  Card,
  CardContent,
  CardDescription,
  CardHeader,
  CardTitle,
} from '../../../components/ui/card.tsx';
import { describedBy, Field } from '../../../components/ui/field.tsx';
import { Input } from '../../../components/ui/input.tsx';
import { Select } from '../../../components/ui/select.tsx';
import { Skeleton } from '../../../components/ui/skeleton.tsx';
import { agentsQuery } from '../../../lib/shared-queries.ts';
import {
  formatRetrySchedule,
  type Settings,
  settingsKeys,
  settingsQuery,
  updateSettings,
} from '../api.ts';

const FIELDS = [
  'name',
  'timezone',
  'retryScheduleMinutes',
  'defaultExpiryHours',
  'defaultAgentId',
] as const;
type FieldName = (typeof FIELDS)[number];
const NO_AGENT = 'none';

/** A number as typed: blank is no number at all, which the contract refuses with its reason. */
const typedNumber = z
  .string()
  .transform((text) => (text.trim() === '' ? Number.NaN : Number(text)));

/** The form as typed (numbers as text, "no agent" as a choice), read into PATCH /api/settings. */
const { name, timezone, defaultExpiryHours, defaultAgentId } = PatchSettingsBody.shape;
const GeneralFormSchema = z.object({
  name: name.unwrap(),
  timezone: timezone.unwrap(),
  retryScheduleMinutes: z.array(typedNumber).pipe(RetryScheduleInput),
  defaultExpiryHours: typedNumber.pipe(defaultExpiryHours.unwrap()),
  defaultAgentId: z
    .string()
    .transform((id) => (id === NO_AGENT ? null : id))
    .pipe(defaultAgentId.unwrap()),
});
type FormInput = z.input<typeof GeneralFormSchema>;
type FormOutput = z.output<typeof GeneralFormSchema>;

/** The first reason anywhere under a field (the retry schedule's are per delay or for all). */
function firstMessage(error: unknown): string | undefined {
  if (!error || typeof error !== 'object' || 'nodeType' in error) return undefined;
  if ('message' in error && typeof error.message === 'string' && error.message) {
    return error.message;
  }
  for (const inner of Object.values(error)) {
    const found = firstMessage(inner);
    if (found) return found;
  }
  return undefined;
}

function GeneralForm({ settings, canEdit }: { settings: Settings; canEdit: boolean }) {
  const uid = useId();
  const fid = (name: FieldName) => `${uid}-${name}`;
  const queryClient = useQueryClient();
  const agents = useQuery(agentsQuery);
  const form = useForm<FormInput, unknown, FormOutput>({
    resolver: zodResolver(GeneralFormSchema),
    defaultValues: {
      name: settings.name,
      timezone: settings.timezone,
      retryScheduleMinutes: settings.retryScheduleMinutes.map(String),
      defaultExpiryHours: String(settings.defaultExpiryHours),
      defaultAgentId: settings.defaultAgent?.id ?? NO_AGENT,
    },
  });
  const { errors } = form.formState;
  const delays = form.watch('retryScheduleMinutes');
  const agent = form.watch('defaultAgentId');
  const setDelays = (list: string[]) =>
    form.setValue('retryScheduleMinutes', list, { shouldDirty: true });
  const delaysError = firstMessage(errors.retryScheduleMinutes);

  const numbers = delays.map((d) => (d.trim() === '' ? Number.NaN : Number(d)));
  const readable = numbers.every((n) => Number.isInteger(n) && n > 0)
    ? formatRetrySchedule(numbers)
    : null;

  const mutation = useMutation({
    mutationFn: (body: FormOutput) => updateSettings(body),
    onSuccess: (saved) => {
      queryClient.setQueryData(settingsKeys.settings, saved);
      toast.success('Settings saved');
    },
    onError: (error) => showRefusal(form, FIELDS, error, fid),
  });

  const agentOptions = [
    { value: NO_AGENT, label: 'No default agent' },
    ...(agents.data?.items ?? [])
      .filter((a) => a.status === 'active' || a.id === settings.defaultAgent?.id)
      .map((a) => ({ value: a.id, label: a.name })),
  ];
  if (agent !== NO_AGENT && !agentOptions.some((o) => o.value === agent) && settings.defaultAgent) {
    agentOptions.push({ value: settings.defaultAgent.id, label: settings.defaultAgent.name });
  }

  return (
    <form
      noValidate
      className="grid max-w-2xl gap-5"
      aria-busy={mutation.isPending}
      onSubmit={form.handleSubmit((body) => mutation.mutate(body))}
    >
      <FormError message={errors.root?.message} />
      <Field id={fid('name')} label="Workspace name" error={errors.name?.message}>
        <Input
          id={fid('name')}
          maxLength={100}
          aria-invalid={errors.name ? true : undefined}
          aria-describedby={describedBy(fid('name'), { error: !!errors.name })}
          {...form.register('name')}
          disabled={!canEdit}
        />
      </Field>
      <Field
        id={fid('timezone')}
        label="Time zone"
        error={errors.timezone?.message}
        hint="For contacts whose time zone is neither set nor inferred from their number."
      >
        <Controller
          control={form.control}
          name="timezone"
          render={({ field }) => (
            <TimeZonePicker
              id={fid('timezone')}
              value={field.value}
              onChange={field.onChange}
              allowInfer={false}
              disabled={!canEdit}
              invalid={!!errors.timezone}
              describedBy={describedBy(fid('timezone'), { hint: true, error: !!errors.timezone })}
            />
          )}
        />
      </Field>
      <fieldset className="grid gap-2" aria-describedby={`${fid('retryScheduleMinutes')}-hint`}>
        <legend className="mb-1.5 font-medium text-sm">Retry schedule</legend>
        <ol className="grid gap-2" aria-label="Delays before each retry, in minutes">
          {delays.map((delay, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the delays are positions, not records
            <li key={i} className="flex items-center gap-2">
              <span className="w-20 shrink-0 text-muted-foreground text-sm">Retry {i + 1}</span>
              <Input
                id={i === 0 ? fid('retryScheduleMinutes') : undefined}
                type="number"
                inputMode="numeric"
                min={1}
                max={10080}
                value={delay}
                disabled={!canEdit}
                aria-label={`Delay before retry ${i + 1}, in minutes`}
                aria-invalid={delaysError ? true : undefined}
                className="w-32"
                onChange={(e) => setDelays(delays.map((d, j) => (j === i ? e.target.value : d)))}
              />
              <span className="text-muted-foreground text-sm">min</span>
              {canEdit && delays.length > 1 ? (
                <Button
                  type="button"
                  variant="ghost"
                  size="icon"
                  aria-label={`Remove retry ${i + 1}`}
                  onClick={() => setDelays(delays.filter((_, j) => j !== i))}
                >
                  <XIcon aria-hidden="true" />
                </Button>
              ) : null}
            </li>
          ))}
        </ol>
        {canEdit && delays.length < 10 ? (
          <Button
            type="button"
            variant="outline"
            size="sm"
            className="w-fit"
            onClick={() => setDelays([...delays, delays.at(-1) ?? '60'])}
          >
            <PlusIcon aria-hidden="true" />
            Add a delay
          </Button>
        ) : null}
        <p id={`${fid('retryScheduleMinutes')}-hint`} className="text-muted-foreground text-xs">
          {readable ? (
            <>
              Retries wait <span data-testid="retry-schedule-readable">{readable}</span>; the last
              delay repeats.
            </>
          ) : (
            'Each delay is a whole number of minutes from 1 to 10080 (7 days); the last repeats.'
          )}
        </p>
        {delaysError ? (
          <p className="font-medium text-destructive text-xs" role="alert">
            {delaysError}
          </p>
        ) : null}
      </fieldset>
      <Field
        id={fid('defaultExpiryHours')}
        label="Default expiry (hours)"
        error={errors.defaultExpiryHours?.message}
        hint="A follow-up that has not succeeded this long after its scheduled time expires."
      >
        <Input
          id={fid('defaultExpiryHours')}
          type="number"
          inputMode="numeric"
          min={1}
          max={8760}
          className="w-32"
          aria-invalid={errors.defaultExpiryHours ? true : undefined}
          aria-describedby={describedBy(fid('defaultExpiryHours'), {
            hint: true,
            error: !!errors.defaultExpiryHours,
          })}
          {...form.register('defaultExpiryHours')}
          disabled={!canEdit}
        />
      </Field>
      <Field
        id={fid('defaultAgentId')}
        label="Default agent"
        error={errors.defaultAgentId?.message}
        hint="Calls without a campaign or a source call use this agent."
      >
        <Controller
          control={form.control}
          name="defaultAgentId"
          render={({ field }) => (
            <Select
              id={fid('defaultAgentId')}
              value={field.value}
              onValueChange={field.onChange}
              options={agentOptions}
              disabled={!canEdit}
              invalid={!!errors.defaultAgentId}
              describedBy={describedBy(fid('defaultAgentId'), {
                hint: true,
                error: !!errors.defaultAgentId,
              })}
              className="max-w-xs"
            />
          )}
        />
      </Field>
      {canEdit ? (
        <div>
          <Button type="submit" disabled={mutation.isPending}>
            {mutation.isPending ? 'Saving…' : 'Save changes'}
          </Button>
        </div>
      ) : null}
    </form>
  );
}

export function GeneralSettings({ canEdit }: { canEdit: boolean }) {
  const query = useQuery(settingsQuery);
  return (
    <Card>
      <CardHeader>
        <div>
          <CardTitle>General</CardTitle>
          <CardDescription>The workspace, how follow-ups retry and expire.</CardDescription>
        </div>
      </CardHeader>
      <CardContent>
        {query.isPending ? (
          <div className="grid max-w-2xl gap-4">
            <Skeleton className="h-9" />
            <Skeleton className="h-9" />
            <Skeleton className="h-24" />
          </div>
        ) : query.isError ? (
          <ErrorState
            error={query.error}
            title="The settings could not be loaded"
            onRetry={() => query.refetch()}
          />
        ) : (
          // A new form after each save: it starts from what the server kept.
          <GeneralForm key={query.data.updatedAt} settings={query.data} canEdit={canEdit} />
        )}
      </CardContent>
    </Card>
  );
}
