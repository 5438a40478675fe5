/**
 * Settings › "Voice platform" for admins: the workspace's own platform (Retell, Vapi or
 * Twilio), its write-only credentials (empty keeps the saved one), its default caller and, for
 * Twilio, the voice agent's TwiML URL; "Save voice platform", and "Use the server's settings".
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Controller, type Resolver, useForm } from 'react-hook-form';
import { toast } from 'sonner';
import {
  SaveVoicePlatformBody,
  VOICE_CREDENTIAL_NAMES,
  VOICE_CREDENTIALS,
  type VoiceCredentialName,
  type WorkspaceVoiceProvider,
} from '../../../../contracts/voice-platform.contract.ts';
import { FormError } from '../../../components/form-refusal.tsx';
import { Alert } from '../../../components/ui/alert.tsx';
import { Button } from '../../../components/ui/button.tsx';
import { describedBy, Field } from '../../../components/ui/field.tsx';
import { Input } from '../../../components/ui/input.tsx';
import { Select } from '../../../components/ui/select.tsx';
import { ApiError, errorMessage } from '../../../lib/api.ts';
import {
  type VoicePlatform,
  voicePlatformQuery,
  voiceTestKey,
} from '../../../lib/voice-platform.ts';
import { removeVoicePlatform, saveVoicePlatform } from '../voice-platform-api.ts';
import { ConfirmDialog } from './confirm-dialog.tsx';
import {
  CALLER_LABELS,
  CREDENTIAL_LABELS,
  credentialState,
  PROVIDER_NAMES,
  PROVIDER_OPTIONS,
} from './voice-platform-labels.ts';

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

export function VoicePlatformForm({ platform }: { platform: VoicePlatform }) {
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
