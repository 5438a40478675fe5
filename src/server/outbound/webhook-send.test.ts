import { describe, expect, it } from 'vitest';
import { jsonbStringify } from './webhook-send.ts';

describe('jsonbStringify', () => {
  it('orders keys the way jsonb keeps them: shorter first, then bytewise', () => {
    const value = { type: 't', b: 1, aa: [1, { zz: null, a: 'x' }], '10': true, '2': false };
    expect(jsonbStringify(value)).toBe(
      '{"2":false,"b":1,"10":true,"aa":[1,{"a":"x","zz":null}],"type":"t"}',
    );
    expect(JSON.parse(jsonbStringify(value))).toEqual(value);
  });

  it('leaves out undefined fields and writes dates as JSON does', () => {
    expect(jsonbStringify({ a: undefined, at: new Date('2026-03-02T15:00:00Z') })).toBe(
      '{"at":"2026-03-02T15:00:00.000Z"}',
    );
  });
});
