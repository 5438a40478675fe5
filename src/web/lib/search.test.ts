import { describe, expect, it } from 'vitest';
import { parseSearch, stringifySearch } from './search.ts';

describe('search params', () => {
  it('are plain key=value pairs, comma lists included', () => {
    const text = stringifySearch({ status: 'scheduled,queued', q: '555', empty: undefined });
    expect(text).toBe('?status=scheduled%2Cqueued&q=555');
    expect(parseSearch(text)).toEqual({ status: 'scheduled,queued', q: '555' });
  });
});
