import { describe, expect, it } from 'vitest';
import { safeRedirect } from './api.ts';

describe('safeRedirect', () => {
  it('goes back to a path of this app, never elsewhere', () => {
    expect(safeRedirect('/follow-ups?status=failed')).toBe('/follow-ups?status=failed');
    expect(safeRedirect('/contacts/c1#calls')).toBe('/contacts/c1#calls');
    expect(safeRedirect(undefined)).toBe('/');
    expect(safeRedirect('')).toBe('/');
    expect(safeRedirect('follow-ups')).toBe('/');
    expect(safeRedirect('https://evil.example/')).toBe('/');
    expect(safeRedirect('//evil.example/')).toBe('/');
    expect(safeRedirect('/\\evil.example')).toBe('/');
    // Browsers drop tabs and newlines from URLs: "/\t/evil.example" is "//evil.example".
    expect(safeRedirect('/\t/evil.example')).toBe('/');
    expect(safeRedirect('/\n/evil.example')).toBe('/');
    expect(safeRedirect(`/${'x'.repeat(2000)}`)).toBe('/');
  });

  it('never returns to the sign-in screens', () => {
    expect(safeRedirect('/login?redirect=/x')).toBe('/');
    expect(safeRedirect('/password')).toBe('/');
    expect(safeRedirect('/login/')).toBe('/');
  });

  it('gives back the path as the browser would read it', () => {
    expect(safeRedirect('/contacts/../settings?section=users')).toBe('/settings?section=users');
  });
});
