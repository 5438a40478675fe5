import { VOICE_CREDENTIALS } from '../../../../contracts/voice-platform.contract.ts';
import { DescriptionList } from '../../../components/description-list.tsx';
import type { VoicePlatform } from '../../../lib/voice-platform.ts';
import {
  CALLER_LABELS,
  CREDENTIAL_LABELS,
  credentialState,
  PROVIDER_NAMES,
} from './voice-platform-labels.ts';

/** What operators and viewers see: the same settings, read only. */
export function VoicePlatformReadOnly({ platform }: { platform: VoicePlatform }) {
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
