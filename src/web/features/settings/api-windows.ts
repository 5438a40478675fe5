/**
 * The workspace settings the calling-window and outcome-rules cards read and change. The
 * query key is the settings page's, so every card shares one copy of GET /api/settings.
 */
import { queryOptions } from '@tanstack/react-query';
import type { PatchSettings, Settings } from '../../../contracts/settings.contract.ts';
import { api } from '../../lib/api.ts';

export type { Settings };

export const workspaceSettingsQuery = queryOptions({
  queryKey: ['settings'],
  queryFn: ({ signal }) => api<Settings>('/settings', { signal }),
  staleTime: 60_000,
});

export type SettingsChanges = Pick<PatchSettings, 'callingWindow' | 'outcomeRules'>;

export function patchSettings(body: SettingsChanges) {
  return api<Settings>('/settings', { method: 'PATCH', body });
}
