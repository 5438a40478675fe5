import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSecretKey, parseSecretKey, SECRET_KEY_FILE, SecretBox } from './secret-box.ts';

describe('secret box', () => {
  const key = Buffer.alloc(32, 7);

  it('seals and opens, and each seal differs', () => {
    const box = new SecretBox(key);
    const a = box.seal('key_abc', 'ws-1');
    const b = box.seal('key_abc', 'ws-1');
    expect(a).not.toBe(b);
    expect(a).not.toContain('key_abc');
    expect(box.open(a, 'ws-1')).toBe('key_abc');
  });

  it('does not open in another context, with another key, or altered', () => {
    const sealed = new SecretBox(key).seal('secret', 'ws-1');
    expect(() => new SecretBox(key).open(sealed, 'ws-2')).toThrow();
    expect(() => new SecretBox(Buffer.alloc(32, 8)).open(sealed, 'ws-1')).toThrow();
    const parts = sealed.split('.');
    const data = Buffer.from(parts[3]!, 'base64url');
    data[0] = data[0]! ^ 1;
    parts[3] = data.toString('base64url');
    expect(() => new SecretBox(key).open(parts.join('.'), 'ws-1')).toThrow();
  });

  it('reads keys as base64 or hex of 32 bytes only', () => {
    expect(parseSecretKey(key.toString('base64'))).toEqual(key);
    expect(parseSecretKey(key.toString('hex'))).toEqual(key);
    expect(parseSecretKey(key.toString('base64url'))).toEqual(key);
    expect(parseSecretKey('short')).toBeNull();
    expect(parseSecretKey(Buffer.alloc(16).toString('hex'))).toBeNull();
  });

  it('generates the embedded key once into the data folder, readable by the owner only', () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'ft-key-')), 'data');
    const first = loadSecretKey({ secretKey: undefined, embedded: true, dataDir: dir });
    const file = path.join(dir, SECRET_KEY_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(parseSecretKey(readFileSync(file, 'utf8'))).toEqual(first);
    expect(loadSecretKey({ secretKey: undefined, embedded: true, dataDir: dir })).toEqual(first);
    // The configured key wins; PostgreSQL without one has none.
    expect(loadSecretKey({ secretKey: key, embedded: true, dataDir: dir })).toEqual(key);
    expect(loadSecretKey({ secretKey: undefined, embedded: false, dataDir: dir })).toBeNull();
  });
});
