/**
 * "Voice platform" (admin): which platform places the calls, the three webhook URLs to paste
 * into Retell, Vapi and Twilio (with copy buttons), and "Test connection", which lists the
 * platform's agents and phone numbers.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { CheckIcon, CopyIcon, PlugZapIcon } from 'lucide-react';
import { useId, useState } from 'react';
import { ErrorState } from '../../../components/error-state.tsx';
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
import { Input } from '../../../components/ui/input.tsx';
import { Label } from '../../../components/ui/label.tsx';
import { TableSkeleton } from '../../../components/ui/skeleton.tsx';
import { errorMessage } from '../../../lib/api.ts';
import {
  testVoicePlatform,
  type VoicePlatform,
  voicePlatformQuery,
  voiceTestKey,
} from '../voice-platform-api.ts';

const PROVIDER_NAMES: Record<VoicePlatform['provider'], string> = {
  retell: 'Retell',
  vapi: 'Vapi',
  twilio: 'Twilio voice',
  http: 'HTTP voice platform (signed contract)',
  simulator: 'Simulator (no real calls)',
  instant: 'Instant (benchmarks)',
};

function CopyField({ label, value }: { label: string; value: string }) {
  const id = useId();
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  return (
    <div className="grid gap-1.5">
      <Label htmlFor={id}>{label}</Label>
      <div className="flex gap-2">
        <Input
          id={id}
          readOnly
          value={value}
          className="font-mono text-xs"
          onFocus={(e) => e.currentTarget.select()}
        />
        <Button
          type="button"
          variant="outline"
          aria-label={`Copy the ${label}`}
          onClick={async () => {
            try {
              await navigator.clipboard.writeText(value);
              setCopied('yes');
            } catch {
              setCopied('no');
            }
          }}
        >
          {copied === 'yes' ? <CheckIcon aria-hidden="true" /> : <CopyIcon aria-hidden="true" />}
          {copied === 'yes' ? 'Copied' : 'Copy'}
        </Button>
      </div>
      {copied === 'no' ? (
        <p className="text-muted-foreground text-xs">
          The browser did not allow copying: select the text and copy it yourself.
        </p>
      ) : null}
    </div>
  );
}

export function VoicePlatformSettings() {
  const query = useQuery(voicePlatformQuery);
  const queryClient = useQueryClient();
  const test = useMutation({
    mutationFn: testVoicePlatform,
    onSuccess: (result) => queryClient.setQueryData(voiceTestKey, result),
  });
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
  const real = ['retell', 'vapi', 'twilio'].includes(platform.provider);
  const result = test.data;
  return (
    <div className="grid gap-6">
      <Card>
        <CardHeader>
          <CardTitle>Voice platform</CardTitle>
          <CardDescription>
            Calls are placed through{' '}
            <strong className="text-foreground">{PROVIDER_NAMES[platform.provider]}</strong>. The
            platform and its credentials are set in the server's environment
            (FOLLOWTHROUGH_CALL_PROVIDER); they are never shown here.
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4">
          {real ? (
            <div className="flex flex-wrap items-center gap-3">
              <Badge variant={platform.configured ? 'secondary' : 'destructive'}>
                {platform.configured ? 'Credentials set' : 'Credentials missing'}
              </Badge>
              <Button
                type="button"
                variant="outline"
                disabled={test.isPending}
                onClick={() => test.mutate()}
              >
                <PlugZapIcon aria-hidden="true" />
                {test.isPending ? 'Testing…' : 'Test connection'}
              </Button>
            </div>
          ) : null}
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
            <div className="grid gap-3 sm:grid-cols-2" data-testid="voice-test-result">
              <div>
                <h3 className="mb-1 font-medium text-sm">Agents</h3>
                {result.agents.length === 0 ? (
                  <p className="text-muted-foreground text-sm">None listed.</p>
                ) : (
                  <ul className="grid gap-1 text-sm">
                    {result.agents.map((a) => (
                      <li key={a.id}>
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
          ) : null}
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Webhook URLs</CardTitle>
          <CardDescription>
            Paste these into the platform so that it reports each call back (see
            docs/voice-platforms.md).
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
