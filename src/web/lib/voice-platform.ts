/**
 * "Test connection" against the voice platform: the platform's agents and numbers. Kept as a
 * query because both Settings › Voice platform and the agent dialog read it.
 */
import type { VoiceTestResult } from '../../contracts/voice-platform.contract.ts';
import { api } from './api.ts';

export const voiceTestKey = ['settings', 'voice-platform', 'test'] as const;
export const testVoicePlatform = () =>
  api<VoiceTestResult>('/settings/voice-platform/test', { method: 'POST', body: {} });
