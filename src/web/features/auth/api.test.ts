import { describe, expect, it } from 'vitest';
import { safeRedirect } from './api.ts';

describe('safeRedirect', () => {
  it('goes back to a path of this app, never elsewhere', () => {
    expect(safeRedirect('/follow-ups?status=failed')).toBe('/follow-ups?status=failed');
    expect(safeRedirect(undefined)).toBe('/');
    expect(safeRedirect('https://evil.example/')).toBe('/');
    expect(safeRedirect('//evil.example/')).toBe('/');
    expect(safeRedirect('/\\evil.example')).toBe('/');
    expect(safeRedirect('/login?redirect=/x')).toBe('/');
  });
});
