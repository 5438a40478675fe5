/** Settings › Voice platform: the platform, its webhook URLs, and Test connection. */
import { queryOptions } from '@tanstack/react-query';
import type { VoicePlatform, VoiceTestResult } from '../../../contracts/voice-platform.contract.ts';
import { api } from '../../lib/api.ts';

export type { VoicePlatform, VoiceTestResult };

export const voicePlatformQuery = queryOptions({
  queryKey: ['settings', 'voice-platform'] as const,
  queryFn: ({ signal }) => api<VoicePlatform>('/settings/voice-platform', { signal }),
});

/** "Test connection" lives in lib: the agent dialog reads it too. */
export { testVoicePlatform, voiceTestKey } from '../../lib/voice-platform.ts';
