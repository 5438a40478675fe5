import { SettingsSection } from '../../../contracts/settings.contract.ts';
import { searchValidator } from '../../lib/search.ts';

export type { SettingsSection } from '../../../contracts/settings.contract.ts';

/** /settings?section=…: the open section, one the contract names; any other opens General. */
export const validateSettingsSearch = searchValidator({ section: SettingsSection });
export type SettingsSearch = ReturnType<typeof validateSettingsSearch>;
