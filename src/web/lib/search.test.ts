import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseSearch, searchValidator, stringifySearch } from './search.ts';

describe('search params', () => {
  it('are plain key=value pairs, comma lists included', () => {
    const text = stringifySearch({ status: 'scheduled,queued', q: '555', empty: undefined });
    expect(text).toBe('?status=scheduled%2Cqueued&q=555');
    expect(parseSearch(text)).toEqual({ status: 'scheduled,queued', q: '555' });
  });

  it('keep each param its schema accepts, as the schema outputs it, and drop the rest', () => {
    const validate = searchValidator({
      q: z.string().trim().max(5),
      n: z.coerce.number().int(),
      kind: z.enum(['a', 'b']),
    });
    expect(validate({ q: '  hi ', n: '12', kind: 'c', extra: 'x' })).toEqual({ q: 'hi', n: 12 });
    expect(validate({ q: 'far too long', n: 'one', kind: 'b' })).toEqual({ kind: 'b' });
    expect(validate({})).toEqual({});
  });
});
