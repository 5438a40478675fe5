import { describe, expect, it } from 'vitest';
import { campaignActions, campaignRuns, canMoveCampaign } from './campaign-status.ts';
import { CAMPAIGN_STATUSES } from './roles.ts';

describe('campaign status moves', () => {
  it('allows exactly the documented moves', () => {
    const allowed = CAMPAIGN_STATUSES.flatMap((from) =>
      CAMPAIGN_STATUSES.filter((to) => canMoveCampaign(from, to)).map((to) => `${from}>${to}`),
    );
    expect(allowed.sort()).toEqual(
      [
        'draft>scheduled',
        'draft>running',
        'scheduled>running',
        'running>paused',
        'paused>running',
        'running>completed',
        'paused>completed',
      ].sort(),
    );
  });

  it('never moves a completed campaign, nor to draft, nor to the same status', () => {
    for (const s of CAMPAIGN_STATUSES) {
      expect(canMoveCampaign('completed', s)).toBe(false);
      expect(canMoveCampaign(s, 'draft')).toBe(false);
      expect(canMoveCampaign(s, s)).toBe(false);
    }
  });

  it('offers the buttons each status allows, and each button makes an allowed move', () => {
    expect(campaignActions('draft').map((a) => a.label)).toEqual(['Schedule', 'Start']);
    expect(campaignActions('scheduled').map((a) => a.label)).toEqual(['Start']);
    expect(campaignActions('running').map((a) => a.label)).toEqual(['Pause', 'Complete']);
    expect(campaignActions('paused').map((a) => a.label)).toEqual(['Resume', 'Complete']);
    expect(campaignActions('completed')).toEqual([]);
    for (const s of CAMPAIGN_STATUSES) {
      for (const a of campaignActions(s)) expect(canMoveCampaign(s, a.to)).toBe(true);
    }
  });

  it('runs only running campaigns', () => {
    expect(CAMPAIGN_STATUSES.filter(campaignRuns)).toEqual(['running']);
  });
});
