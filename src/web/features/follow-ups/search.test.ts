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
