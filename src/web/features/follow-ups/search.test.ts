import { describe, expect, it } from 'vitest';
import { effectiveView, listFilters, validateFollowUpsSearch } from './search.ts';

const contactId = '01a164ed-0f60-7096-ab1e-0089089b9013';

describe('the follow-ups list views', () => {
  it('keep a known view from the URL and drop any other', () => {
    expect(validateFollowUpsSearch({ view: 'attention' }).view).toBe('attention');
    expect(validateFollowUpsSearch({ view: 'later' }).view).toBeUndefined();
  });

  it('open on what is coming; a contact or chosen statuses show everything', () => {
    expect(effectiveView({})).toBe('open');
    expect(effectiveView({ contactId })).toBe('all');
    expect(effectiveView({ status: 'failed' })).toBe('all');
    expect(effectiveView({ view: 'attention', contactId })).toBe('attention');
  });

  it('ask the API for the view’s statuses and order', () => {
    expect(listFilters({})).toMatchObject({
      status: 'scheduled,queued,in_progress,snoozed',
      sort: undefined,
    });
    expect(listFilters({ view: 'attention', type: 'call' })).toEqual({
      status: 'failed,expired',
      sort: '-scheduledAt',
      type: 'call',
    });
    expect(listFilters({ view: 'all' })).toMatchObject({ status: undefined, sort: '-scheduledAt' });
    // Chosen statuses win over the view's; the view never reaches the API.
    expect(listFilters({ view: 'open', status: 'completed' })).toMatchObject({
      status: 'completed',
    });
    expect(listFilters({ view: 'open' })).not.toHaveProperty('view');
  });
});

describe('the follow-ups search params', () => {
  it('keep only valid follow-up filters, statuses in their canonical order', () => {
    expect(
      validateFollowUpsSearch({
        contactId,
        status: 'queued,bogus,scheduled',
        type: 'fax',
        priority: 'urgent',
        scheduledFrom: 'not a date',
        scheduledTo: '2026-12-01T00:00:00.000Z',
      }),
    ).toEqual({
      contactId,
      status: 'scheduled,queued',
      type: undefined,
      agentId: undefined,
      campaignId: undefined,
      priority: 'urgent',
      source: undefined,
      scheduledFrom: undefined,
      scheduledTo: '2026-12-01T00:00:00.000Z',
    });
    expect(validateFollowUpsSearch({ contactId: '42' }).contactId).toBeUndefined();
  });
});
