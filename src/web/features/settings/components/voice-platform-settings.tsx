/**
 * Settings › "Voice platform": which platform places the workspace's calls. Admins choose the
 * workspace's own (Retell, Vapi or Twilio), its write-only credentials (shown only as "Set …"
 * with their last four characters), its default caller and, for Twilio, the voice agent's TwiML
 * URL; save it, go back to the server's settings, and "Test connection". Everyone else reads
 * it. Everyone sees the three webhook URLs to paste into the platforms, with copy buttons.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { PlugZapIcon } from 'lucide-react';
import { useId, useState } from 'react';
import { Controller, type Resolver, useForm } from 'react-hook-form';
import { toast } from 'sonner';
import {
  SaveVoicePlatformBody,
  VOICE_CREDENTIAL_NAMES,
  VOICE_CREDENTIALS,
  type VoiceCredentialName,
  type WorkspaceVoicePlatform,
  type WorkspaceVoiceProvider,
} from '../../../../contracts/voice-platform.contract.ts';
import { CopyField } from '../../../components/copy-field.tsx';
import { DescriptionList } from '../../../components/description-list.tsx';
import { ErrorState } from '../../../components/error-state.tsx';
import { FormError } from '../../../components/form-refusal.tsx';
import { Alert } from '../../../components/ui/alert.tsx';
import { Badge } from '../../../components/ui/badge.tsx';
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
import { TableSkeleton } from '../../../components/ui/skeleton.tsx';
import { ApiError, errorMessage } from '../../../lib/api.ts';
import {
  TESTABLE_PROVIDERS,
  testVoicePlatform,
  type VoicePlatform,
  voicePlatformQuery,
  voiceTestKey,
} from '../../../lib/voice-platform.ts';
import { removeVoicePlatform, saveVoicePlatform } from '../voice-platform-api.ts';
import { ConfirmDialog } from './confirm-dialog.tsx';

const PROVIDER_NAMES: Record<VoicePlatform['provider'], string> = {
  retell: 'Retell',
  vapi: 'Vapi',
  twilio: 'Twilio voice',
  http: 'HTTP voice platform (signed contract)',
  simulator: 'Simulator (no real calls)',
  instant: 'Instant (benchmarks)',
};

const PROVIDER_OPTIONS: { value: WorkspaceVoiceProvider; label: string }[] = [
  { value: 'retell', label: 'Retell' },
  { value: 'vapi', label: 'Vapi' },
  { value: 'twilio', label: 'Twilio voice' },
];

const CREDENTIAL_LABELS: Record<VoiceCredentialName, string> = {
  retellApiKey: 'Retell API key',
  vapiApiKey: 'Vapi private API key',
  vapiWebhookSecret: 'Vapi server-URL secret',
  twilioAccountSid: 'Twilio account SID',
  twilioAuthToken: 'Twilio auth token',
};

const CALLER_LABELS: Record<WorkspaceVoiceProvider, { label: string; hint: string }> = {
  retell: {
    label: 'Default caller number',
    hint: "A number bought in or imported into Retell, in E.164 form. An agent's own “Calls from” wins.",
  },
  vapi: {
    label: 'Vapi phone number id',
    hint: 'The id of the Vapi phone number the calls are placed from (required).',
  },
  twilio: {
    label: 'Default caller number',
    hint: "A Twilio number of the account, in E.164 form. An agent's own “Calls from” wins.",
  },
};

/** What is typed: every credential as text, empty meaning "keep the one saved". */
interface FormValues {
  provider: WorkspaceVoiceProvider;
  caller: string;
  voiceUrl: string;
  credentials: Record<VoiceCredentialName, string>;
}

const emptyCredentials = () =>
  Object.fromEntries(VOICE_CREDENTIAL_NAMES.map((n) => [n, ''])) as FormValues['credentials'];

function valuesOf(platform: VoicePlatform): FormValues {
  const own = platform.workspace;
  const fallback = PROVIDER_OPTIONS.some((o) => o.value === platform.environmentProvider)
    ? (platform.environmentProvider as WorkspaceVoiceProvider)
    : 'retell';
  return {
    provider: own?.provider ?? fallback,
    caller: own?.caller ?? '',
    voiceUrl: own?.voiceUrl ?? '',
    credentials: emptyCredentials(),
  };
}

/** The PUT body: the platform's own credentials that were typed, nothing empty. */
function toBody(values: FormValues): SaveVoicePlatformBody {
  const credentials = Object.fromEntries(
    VOICE_CREDENTIALS[values.provider]
      .map((n) => [n, values.credentials[n].trim()] as const)
      .filter(([, v]) => v !== ''),
  );
  return {
    provider: values.provider,
    caller: values.caller.trim() || null,
    voiceUrl: values.provider === 'twilio' ? values.voiceUrl.trim() || null : null,
    credentials,
  };
}

/** The contract's body schema checks what is typed, once empty fields are left out. */
const bodyResolver = zodResolver(SaveVoicePlatformBody);
const resolver: Resolver<FormValues, unknown, SaveVoicePlatformBody> = (values, context, options) =>
  bodyResolver(toBody(values), context, options as never) as never;

const FIELD_PATHS = new Set<string>([
  'provider',
  'caller',
  'voiceUrl',
  ...VOICE_CREDENTIAL_NAMES.map((n) => `credentials.${n}`),
]);

function credentialState(own: WorkspaceVoicePlatform | null, name: VoiceCredentialName): string {
  const state = own?.credentials[name];
  return state?.set ? `Set …${state.last4 ?? ''}` : 'Not set';
}

function VoicePlatformForm({ platform }: { platform: VoicePlatform }) {
  const uid = useId();
  const fid = (name: string) => `${uid}-${name.replace('.', '-')}`;
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const form = useForm<FormValues, unknown, SaveVoicePlatformBody>({
    resolver,
    defaultValues: valuesOf(platform),
    mode: 'onSubmit',
    reValidateMode: 'onChange',
  });
  const { errors } = form.formState;
  const provider = form.watch('provider');
  const own = platform.workspace?.provider === provider ? platform.workspace : null;
  const locked = !platform.canSaveCredentials;

  const saved = (next: VoicePlatform) => {
    queryClient.setQueryData(voicePlatformQuery.queryKey, next);
    // The platform's agents and numbers may have changed with it: ask again when needed.
    queryClient.removeQueries({ queryKey: voiceTestKey });
    form.reset(valuesOf(next));
  };

  const mutation = useMutation({
    mutationFn: saveVoicePlatform,
    onSuccess: (next) => {
      saved(next);
      setFormError(null);
      toast.success('Voice platform saved');
    },
    onError: (error) => {
      if (!(error instanceof ApiError)) return setFormError(errorMessage(error));
      const rest: string[] = [];
      for (const problem of error.errors) {
        if (FIELD_PATHS.has(problem.path)) {
          form.setError(problem.path as 'caller', { type: 'server', message: problem.message });
        } else rest.push(problem.message);
      }
      setFormError(rest.length ? rest.join(' ') : error.detail);
    },
  });

  const onSubmit = form.handleSubmit((body) => {
    setFormError(null);
    mutation.mutate(body);
  });

  const caller = CALLER_LABELS[provider];
  return (
    <form noValidate onSubmit={onSubmit} className="grid gap-4" aria-busy={mutation.isPending}>
      {locked ? (
        <Alert variant="warning">
          <p>
            This server has no key to encrypt credentials, so a workspace's own platform cannot be
            saved. Set FOLLOWTHROUGH_SECRET_KEY and restart the server.
          </p>
        </Alert>
      ) : null}
      <FormError message={formError} />
      <Field id={fid('provider')} label="Platform" error={errors.provider?.message}>
        <Controller
          control={form.control}
          name="provider"
          render={({ field }) => (
            <Select
              id={fid('provider')}
              name={field.name}
              value={field.value}
              onValueChange={(value) => field.onChange(value as WorkspaceVoiceProvider)}
              options={PROVIDER_OPTIONS}
              disabled={locked}
              className="w-full sm:w-64"
            />
          )}
        />
      </Field>
      <div className="grid gap-4 sm:grid-cols-2">
        {VOICE_CREDENTIALS[provider].map((name) => {
          const path = `credentials.${name}` as const;
          const error = errors.credentials?.[name]?.message;
          const state = credentialState(own, name);
          return (
            <Field
              key={name}
              id={fid(path)}
              label={CREDENTIAL_LABELS[name]}
              error={error}
              hint={
                <span data-testid={`credential-${name}`}>
                  <strong className="font-medium text-foreground">{state}</strong>
                  {state === 'Not set'
                    ? '. Shown only as its last four characters once saved.'
                    : '. Leave empty to keep it; type a new one to replace it.'}
                </span>
              }
            >
              <Input
                id={fid(path)}
                type="password"
                autoComplete="new-password"
                spellCheck={false}
                disabled={locked}
                placeholder={state === 'Not set' ? '' : state}
                aria-invalid={error ? true : undefined}
                aria-describedby={describedBy(fid(path), { hint: true, error: !!error })}
                {...form.register(path)}
              />
            </Field>
          );
        })}
      </div>
      <Field
        id={fid('caller')}
        label={caller.label}
        error={errors.caller?.message}
        hint={caller.hint}
      >
        <Input
          id={fid('caller')}
          autoComplete="off"
          spellCheck={false}
          disabled={locked}
          placeholder={provider === 'vapi' ? 'e.g. 3f1c2a…' : '+12125550100'}
          className="sm:w-64"
          aria-invalid={errors.caller ? true : undefined}
          aria-describedby={describedBy(fid('caller'), { hint: true, error: !!errors.caller })}
          {...form.register('caller')}
        />
      </Field>
      {provider === 'twilio' ? (
        <Field
          id={fid('voiceUrl')}
          label="Voice agent TwiML URL"
          error={errors.voiceUrl?.message}
          hint="Twilio fetches the call's instructions here when the contact answers: your voice agent's TwiML endpoint."
        >
          <Input
            id={fid('voiceUrl')}
            type="url"
            autoComplete="off"
            spellCheck={false}
            disabled={locked}
            placeholder="https://agent.example.com/twiml"
            aria-invalid={errors.voiceUrl ? true : undefined}
            aria-describedby={describedBy(fid('voiceUrl'), {
              hint: true,
              error: !!errors.voiceUrl,
            })}
            {...form.register('voiceUrl')}
          />
        </Field>
      ) : null}
      <div className="flex flex-wrap items-center justify-end gap-3">
        {platform.workspace ? (
          <Button
            type="button"
            variant="outline"
            className="sm:mr-auto"
            onClick={() => setConfirmRemove(true)}
          >
            Use the server's settings
          </Button>
        ) : null}
        <Button type="submit" disabled={locked || mutation.isPending}>
          {mutation.isPending ? 'Saving…' : 'Save voice platform'}
        </Button>
      </div>
      <ConfirmDialog
        open={confirmRemove}
        onOpenChange={setConfirmRemove}
        title="Use the server's settings?"
        description={`The workspace's own ${PROVIDER_NAMES[platform.workspace?.provider ?? 'retell']} settings and credentials are deleted; calls go through the server's platform (${PROVIDER_NAMES[platform.environmentProvider]}) again.`}
        confirm="Remove"
        pending="Removing…"
        onConfirm={async () => {
          saved(await removeVoicePlatform());
          toast.success("The workspace calls through the server's platform again");
        }}
      />
    </form>
  );
}

/** What operators and viewers see: the same settings, read only. */
function VoicePlatformReadOnly({ platform }: { platform: VoicePlatform }) {
  const own = platform.workspace;
  if (!own) {
    return (
      <p className="text-muted-foreground text-sm" data-testid="voice-platform-read">
        The workspace uses the server's settings. Only admins can change them.
      </p>
    );
  }
  return (
    <div className="grid gap-3" data-testid="voice-platform-read">
      <DescriptionList
        columns={2}
        items={[
          { label: 'Platform', value: PROVIDER_NAMES[own.provider] },
          { label: CALLER_LABELS[own.provider].label, value: own.caller ?? 'Not set' },
          ...VOICE_CREDENTIALS[own.provider].map((name) => ({
            label: CREDENTIAL_LABELS[name],
            value: credentialState(own, name),
            testId: `credential-${name}`,
          })),
          ...(own.provider === 'twilio'
            ? [{ label: 'Voice agent TwiML URL', value: own.voiceUrl ?? 'Not set', wide: true }]
            : []),
        ]}
      />
      <p className="text-muted-foreground text-sm">Only admins can change them.</p>
    </div>
  );
}

function TestConnection({ platform }: { platform: VoicePlatform }) {
  const queryClient = useQueryClient();
  const test = useMutation({
    mutationFn: testVoicePlatform,
    onSuccess: (result) => queryClient.setQueryData(voiceTestKey, result),
  });
  // The last result, also when the agent dialog asked for it.
  const result = useQuery({
    queryKey: voiceTestKey,
    queryFn: testVoicePlatform,
    enabled: false,
  }).data;
  const name = PROVIDER_NAMES[platform.provider];
  return (
    <div className="grid gap-3 border-t pt-4">
      <div className="flex flex-wrap items-center gap-3">
        <Button
          type="button"
          variant="outline"
          disabled={test.isPending}
          onClick={() => test.mutate()}
        >
          <PlugZapIcon aria-hidden="true" />
          {test.isPending ? 'Testing…' : 'Test connection'}
        </Button>
        <p className="text-muted-foreground text-sm">
          Asks {name}, with the saved settings, for its agents and phone numbers.
        </p>
      </div>
      {test.isError ? (
        <Alert variant="destructive">
          <p>{errorMessage(test.error)}</p>
        </Alert>
      ) : null}
      {result && !result.ok ? (
        <Alert variant="destructive" data-testid="voice-test-failed">
          <p>Not connected: {result.error}</p>
        </Alert>
      ) : null}
      {result?.ok ? (
        <div className="grid gap-3" data-testid="voice-test-result">
          <p className="text-sm" role="status">
            Connected to {name}: it lists {result.agents.length}{' '}
            {result.agents.length === 1 ? 'agent' : 'agents'} and {result.numbers.length} phone{' '}
            {result.numbers.length === 1 ? 'number' : 'numbers'}.
          </p>
          <div className="grid gap-3 sm:grid-cols-2">
            <div>
              <h3 className="mb-1 font-medium text-sm">Agents</h3>
              {result.agents.length === 0 ? (
                <p className="text-muted-foreground text-sm">None listed.</p>
              ) : (
                <ul className="grid gap-1 text-sm">
                  {result.agents.map((a) => (
                    <li key={a.id} className="break-all">
                      {a.name}{' '}
                      <span className="font-mono text-muted-foreground text-xs">{a.id}</span>
                    </li>
                  ))}
                </ul>
              )}
            </div>
            <div>
              <h3 className="mb-1 font-medium text-sm">Phone numbers</h3>
              {result.numbers.length === 0 ? (
                <p className="text-muted-foreground text-sm">None listed.</p>
              ) : (
                <ul className="grid gap-1 text-sm">
                  {result.numbers.map((n) => (
                    <li key={n.id}>
                      <span className="font-mono">{n.number}</span>
                      {n.name ? <span className="text-muted-foreground"> · {n.name}</span> : null}
                    </li>
                  ))}
                </ul>
              )}
            </div>
          </div>
        </div>
      ) : null}
    </div>
  );
}

export function VoicePlatformSettings({ canEdit }: { canEdit: boolean }) {
  const query = useQuery(voicePlatformQuery);
  if (query.isPending) return <TableSkeleton rows={3} />;
  if (query.isError) {
    return (
      <ErrorState
        title="Voice platform not loaded"
        error={query.error}
        onRetry={() => query.refetch()}
      />
    );
  }
  const platform = query.data;
  const testable = TESTABLE_PROVIDERS.includes(platform.provider);
  return (
    <div className="grid gap-6">
      <Card>
        <CardHeader>
          <CardTitle>Voice platform</CardTitle>
          <CardDescription>
            Calls are placed through{' '}
            <strong className="text-foreground">{PROVIDER_NAMES[platform.provider]}</strong>
            {platform.source === 'workspace'
              ? ", with this workspace's own settings (they win over the server's)."
              : ", with the server's settings (FOLLOWTHROUGH_CALL_PROVIDER)."}{' '}
            Credentials are never shown again once saved.
          </CardDescription>
          <div>
            <Badge variant={platform.configured ? 'secondary' : 'destructive'}>
              {platform.configured ? 'Credentials set' : 'Credentials missing'}
            </Badge>
          </div>
        </CardHeader>
        <CardContent className="grid gap-4">
          {canEdit ? (
            <VoicePlatformForm
              // A new form when the saved platform changes, so that it starts from it.
              key={`${platform.source}-${platform.workspace?.provider ?? ''}`}
              platform={platform}
            />
          ) : (
            <VoicePlatformReadOnly platform={platform} />
          )}
          {canEdit && testable ? <TestConnection platform={platform} /> : null}
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Webhook URLs</CardTitle>
          <CardDescription>
            Paste these into the platform so that it reports each call back: Retell's webhook URL,
            Vapi's server URL, Twilio's status callback (see docs/voice-platforms.md).
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4">
          <CopyField label="Retell webhook URL" value={platform.webhookUrls.retell} />
          <CopyField label="Vapi server URL" value={platform.webhookUrls.vapi} />
          <CopyField label="Twilio status callback URL" value={platform.webhookUrls.twilio} />
        </CardContent>
      </Card>
    </div>
  );
}
