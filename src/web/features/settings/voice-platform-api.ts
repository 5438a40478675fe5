/** Settings › Voice platform: the platform, its webhook URLs, and Test connection. */
import { queryOptions } from '@tanstack/react-query';
import type { VoicePlatform, VoiceTestResult } from '../../../contracts/voice-platform.contract.ts';
import { api } from '../../lib/api.ts';

export type { VoicePlatform, VoiceTestResult };

export const voicePlatformQuery = queryOptions({
  queryKey: ['settings', 'voice-platform'] as const,
  queryFn: ({ signal }) => api<VoicePlatform>('/settings/voice-platform', { signal }),
});

/** "Test connection": the platform's agents and numbers (kept as a query: the agent dialog reads them). */
export const voiceTestKey = ['settings', 'voice-platform', 'test'] as const;
export const testVoicePlatform = () =>
  api<VoiceTestResult>('/settings/voice-platform/test', { method: 'POST', body: {} });
