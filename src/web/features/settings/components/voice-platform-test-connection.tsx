import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { PlugZapIcon } from 'lucide-react';
import { Alert } from '../../../components/ui/alert.tsx';
import { Button } from '../../../components/ui/button.tsx';
import { errorMessage } from '../../../lib/api.ts';
import {
  testVoicePlatform,
  type VoicePlatform,
  voiceTestKey,
} from '../../../lib/voice-platform.ts';
import { PROVIDER_NAMES } from './voice-platform-labels.ts';

/**
 * "Test connection": asks the platform, with the saved settings, for its agents and phone
 * numbers, and says what it answered in plain words (the agent dialog picks from the same).
 */
export function TestConnection({ platform }: { platform: VoicePlatform }) {
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
