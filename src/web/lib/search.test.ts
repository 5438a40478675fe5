import { describe, expect, it } from 'vitest';
import { validateFollowUpsSearch } from '../features/follow-ups/search.ts';
import { parseSearch, stringifySearch } from './search.ts';

describe('search params', () => {
  it('are plain key=value pairs, comma lists included', () => {
    const text = stringifySearch({ status: 'scheduled,queued', q: '555', empty: undefined });
    expect(text).toBe('?status=scheduled%2Cqueued&q=555');
    expect(parseSearch(text)).toEqual({ status: 'scheduled,queued', q: '555' });
  });

  it('keep only valid follow-up filters, statuses in their canonical order', () => {
    const contactId = '01a164ed-0f60-7096-ab1e-0089089b9013';
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
