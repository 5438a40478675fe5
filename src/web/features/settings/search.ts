import { oneOf } from '../../lib/search.ts';

export const SETTINGS_SECTIONS = [
  'general',
  'calling-windows',
  'compliance',
  'users',
  'api-keys',
  'webhooks',
  'voice-platform',
] as const;
export type SettingsSection = (typeof SETTINGS_SECTIONS)[number];

export interface SettingsSearch {
  section?: SettingsSection;
}

export function validateSettingsSearch(search: Record<string, unknown>): SettingsSearch {
  return { section: oneOf(search.section, SETTINGS_SECTIONS) };
}
