/**
 * The workspace's voice platform (read by every role) and "Test connection" (admins): the
 * platform's agents and numbers. Shared by Settings › Voice platform and the agent dialog.
 */
import { queryOptions } from '@tanstack/react-query';
import type { VoicePlatform, VoiceTestResult } from '../../contracts/voice-platform.contract.ts';
import { api } from './api.ts';

export type { VoicePlatform, VoiceTestResult };

export const voicePlatformQuery = queryOptions({
  queryKey: ['settings', 'voice-platform'] as const,
  queryFn: ({ signal }) => api<VoicePlatform>('/settings/voice-platform', { signal }),
});

/** The platforms Followthrough can list agents and numbers of. */
export const TESTABLE_PROVIDERS: readonly VoicePlatform['provider'][] = [
  'retell',
  'vapi',
  'twilio',
];

export const voiceTestKey = ['settings', 'voice-platform', 'test'] as const;
export const testVoicePlatform = () =>
  api<VoiceTestResult>('/settings/voice-platform/test', { method: 'POST', body: {} });

/** "Test connection" as a query: asked once, kept for the session until the platform changes. */
export const voiceTestQuery = queryOptions({
  queryKey: voiceTestKey,
  queryFn: testVoicePlatform,
  staleTime: 5 * 60_000,
  retry: false,
});
