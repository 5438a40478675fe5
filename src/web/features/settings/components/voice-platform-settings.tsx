/**
 * Settings › "Voice platform": which platform places the workspace's calls. Admins choose the
 * workspace's own (Retell, Vapi or Twilio), its write-only credentials (shown only as "Set …"
 * with their last four characters), its default caller and, for Twilio, the voice agent's TwiML
 * URL; save it, go back to the server's settings, and "Test connection". Everyone else reads
 * it. Everyone sees the three webhook URLs to paste into the platforms, with copy buttons.
 */
import { useQuery } from '@tanstack/react-query';
import { CopyField } from '../../../components/copy-field.tsx';
import { ErrorState } from '../../../components/error-state.tsx';
import { Badge } from '../../../components/ui/badge.tsx';
import {
  Card,
  CardContent,
  CardDescription,
  CardHeader,
  CardTitle,
} from '../../../components/ui/card.tsx';
import { TableSkeleton } from '../../../components/ui/skeleton.tsx';
import { TESTABLE_PROVIDERS, voicePlatformQuery } from '../../../lib/voice-platform.ts';
import { VoicePlatformForm } from './voice-platform-form.tsx';
import { PROVIDER_NAMES } from './voice-platform-labels.ts';
import { VoicePlatformReadOnly } from './voice-platform-read-only.tsx';
import { TestConnection } from './voice-platform-test-connection.tsx';

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
