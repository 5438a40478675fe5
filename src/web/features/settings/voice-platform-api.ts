/** Settings › Voice platform: save the workspace's own platform, or go back to the server's. */
import type {
  SaveVoicePlatformBody,
  VoicePlatform,
} from '../../../contracts/voice-platform.contract.ts';
import { api } from '../../lib/api.ts';

export const saveVoicePlatform = (body: SaveVoicePlatformBody) =>
  api<VoicePlatform>('/settings/voice-platform', { method: 'PUT', body });

export const removeVoicePlatform = () =>
  api<VoicePlatform>('/settings/voice-platform', { method: 'DELETE' });
