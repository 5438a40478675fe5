/**
 * The words of Settings › "Voice platform", shared by its form, its read-only view and Test
 * connection: the platforms' names, the credentials' and the caller's labels, and how a saved
 * credential is shown (never more than its last four characters).
 */
import type {
  VoiceCredentialName,
  WorkspaceVoicePlatform,
  WorkspaceVoiceProvider,
} from '../../../../contracts/voice-platform.contract.ts';
import type { VoicePlatform } from '../../../lib/voice-platform.ts';

export const PROVIDER_NAMES: Record<VoicePlatform['provider'], string> = {
  retell: 'Retell',
  vapi: 'Vapi',
  twilio: 'Twilio voice',
  http: 'HTTP voice platform (signed contract)',
  simulator: 'Simulator (no real calls)',
  instant: 'Instant (benchmarks)',
};

export const PROVIDER_OPTIONS: { value: WorkspaceVoiceProvider; label: string }[] = [
  { value: 'retell', label: 'Retell' },
  { value: 'vapi', label: 'Vapi' },
  { value: 'twilio', label: 'Twilio voice' },
];

export const CREDENTIAL_LABELS: Record<VoiceCredentialName, string> = {
  retellApiKey: 'Retell API key',
  vapiApiKey: 'Vapi private API key',
  vapiWebhookSecret: 'Vapi server-URL secret',
  twilioAccountSid: 'Twilio account SID',
  twilioAuthToken: 'Twilio auth token',
};

export const CALLER_LABELS: Record<WorkspaceVoiceProvider, { label: string; hint: string }> = {
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

/** "Set …9f3a" or "Not set". */
export function credentialState(
  own: WorkspaceVoicePlatform | null,
  name: VoiceCredentialName,
): string {
  const state = own?.credentials[name];
  return state?.set ? `Set …${state.last4 ?? ''}` : 'Not set';
}
