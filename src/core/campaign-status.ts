/**
 * A campaign's statuses and the moves an admin may make between them (SPEC §1). Only a running
 * campaign's follow-ups are started by the engine: draft, scheduled, paused and completed ones
 * hold them back (they stay scheduled until the campaign runs).
 */
import type { CampaignStatus } from './roles.ts';

export const CAMPAIGN_STATUS_LABELS: Record<CampaignStatus, string> = {
  draft: 'Draft',
  scheduled: 'Scheduled',
  running: 'Running',
  paused: 'Paused',
  completed: 'Completed',
};

export const CAMPAIGN_TRANSITIONS: Record<CampaignStatus, readonly CampaignStatus[]> = {
  draft: ['scheduled', 'running'],
  scheduled: ['running'],
  running: ['paused', 'completed'],
  paused: ['running', 'completed'],
  completed: [],
};

export function canMoveCampaign(from: CampaignStatus, to: CampaignStatus): boolean {
  return CAMPAIGN_TRANSITIONS[from].includes(to);
}

/** The statuses a campaign may move to from `from`. */
export function campaignMovesFrom(from: CampaignStatus): readonly CampaignStatus[] {
  return CAMPAIGN_TRANSITIONS[from];
}

/** Whether the engine starts this campaign's follow-ups. */
export const campaignRuns = (status: CampaignStatus) => status === 'running';

/** The button that makes a move, in the order the UI shows them. */
export const CAMPAIGN_ACTIONS = [
  { to: 'scheduled', label: 'Schedule', from: ['draft'] },
  { to: 'running', label: 'Start', from: ['draft', 'scheduled'] },
  { to: 'running', label: 'Resume', from: ['paused'] },
  { to: 'paused', label: 'Pause', from: ['running'] },
  { to: 'completed', label: 'Complete', from: ['running', 'paused'] },
] as const satisfies readonly {
  to: CampaignStatus;
  label: string;
  from: readonly CampaignStatus[];
}[];

/** The actions the current status allows, e.g. paused → "Resume", "Complete". */
export function campaignActions(status: CampaignStatus) {
  return CAMPAIGN_ACTIONS.filter((a) => (a.from as readonly CampaignStatus[]).includes(status));
}
