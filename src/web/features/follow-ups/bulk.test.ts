import { describe, expect, it } from 'vitest';
import { ApiError } from '../../lib/api.ts';
import type { FollowUp } from './api.ts';
import { runBulk } from './bulk.ts';

const row = (id: string) => ({ id }) as FollowUp;

describe('runBulk', () => {
  it('reports what changed and, for the rest, the reason the server gave', async () => {
    const rows = ['a', 'b', 'c', 'd', 'e'].map(row);
    const outcome = await runBulk('cancel', rows, async (r) => {
      if (r.id === 'b' || r.id === 'e') {
        throw new ApiError({
          status: 409,
          title: 'Conflict',
          detail: `Follow-up ${r.id} is completed: it cannot be cancelled.`,
        });
      }
      return r;
    });
    expect(outcome.changed.map((r) => r.id).sort()).toEqual(['a', 'c', 'd']);
    expect(outcome.refused.map((r) => [r.row.id, r.reason]).sort()).toEqual([
      ['b', 'Follow-up b is completed: it cannot be cancelled.'],
      ['e', 'Follow-up e is completed: it cannot be cancelled.'],
    ]);
  });
});
