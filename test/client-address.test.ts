/**
 * The client address behind a proxy (FOLLOWTHROUGH_TRUST_PROXY): without it, X-Forwarded-For is
 * ignored and the per-address sign-in limit counts the connection's peer, whatever the header
 * says; with it, only the configured proxies may name the client. The session cookie is Secure
 * when FOLLOWTHROUGH_PUBLIC_URL is https.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/server/config.ts';
import { type AppOptions, buildApp } from '../src/server/http/app.ts';
import { testDatabases, useDatabase } from './helpers/databases.ts';
import { createTestWorkspace, PASSWORD, type TestWorkspace } from './helpers/workspace.ts';

describe('FOLLOWTHROUGH_TRUST_PROXY', () => {
  it('trusts no proxy when unset, a hop count, or a list of addresses and CIDRs', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ FOLLOWTHROUGH_TRUST_PROXY: '0' }).trustProxy).toBe(false);
    expect(loadConfig({ FOLLOWTHROUGH_TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(
      loadConfig({ FOLLOWTHROUGH_TRUST_PROXY: '10.0.0.0/8, 192.168.1.7,::1,fd00::/8,loopback' })
        .trustProxy,
    ).toEqual(['10.0.0.0/8', '192.168.1.7', '::1', 'fd00::/8', 'loopback']);
    for (const wrong of ['true', 'yes', '10.0.0.0/33', 'proxy.example.com', '1.2.3']) {
      expect(() => loadConfig({ FOLLOWTHROUGH_TRUST_PROXY: wrong }), wrong).toThrow(ConfigError);
      expect(() => loadConfig({ FOLLOWTHROUGH_TRUST_PROXY: wrong })).toThrow(
        /FOLLOWTHROUGH_TRUST_PROXY: must be a number of proxies/,
      );
    }
  });
});

for (const target of testDatabases()) {
  describe(`client address behind a proxy [${target.name}]`, () => {
    const ctx = useDatabase(target);
    let ws: TestWorkspace;
    const apps: FastifyInstance[] = [];

    beforeAll(async () => {
      ws = await createTestWorkspace(ctx.handle.db, 'Proxy Co');
    });
    afterAll(async () => {
      await Promise.all(apps.map((a) => a.close()));
    });

    async function app(options: Partial<AppOptions> = {}) {
      const built = await buildApp({
        handle: ctx.handle,
        logger: false,
        loginLimits: { perEmail: 1000, perIp: 3 },
        ...options,
      });
      apps.push(built);
      return built;
    }
    let serial = 0;
    /** A failed sign-in (a new email each time, so only the per-address limit counts). */
    const attempt = (a: FastifyInstance, remoteAddress: string, forwardedFor?: string) =>
      a.inject({
        method: 'POST',
        url: '/api/auth/login',
        remoteAddress,
        headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
        payload: { email: `nobody${serial++}@example.com`, password: 'wrong password' },
      });

    it('without a trusted proxy, a changing X-Forwarded-For does not escape the limit', async () => {
      const a = await app();
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        statuses.push((await attempt(a, '203.0.113.9', `198.51.100.${i}`)).statusCode);
      }
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
      const limited = await attempt(a, '203.0.113.9');
      expect(limited.statusCode).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      // Another client address has its own count.
      expect((await attempt(a, '203.0.113.10')).statusCode).toBe(401);
    });

    it('behind a trusted proxy, counts the client it names, and ignores the header from others', async () => {
      const a = await app({ trustProxy: ['10.0.0.0/8'] });
      const fromProxy = (client: string) => attempt(a, '10.0.0.2', client);
      for (let i = 0; i < 3; i++) expect((await fromProxy('198.51.100.1')).statusCode).toBe(401);
      expect((await fromProxy('198.51.100.1')).statusCode).toBe(429);
      // A different client behind the same proxy is not blocked by the first one's attempts.
      expect((await fromProxy('198.51.100.2')).statusCode).toBe(401);
      // A client connecting directly cannot pose as someone else.
      const direct: number[] = [];
      for (let i = 0; i < 5; i++) {
        direct.push((await attempt(a, '203.0.113.20', `198.51.100.${50 + i}`)).statusCode);
      }
      expect(direct).toEqual([401, 401, 401, 429, 429]);
      // Nor escape through a spoofed header that the proxy appends to.
      const spoofed: number[] = [];
      for (let i = 0; i < 5; i++) {
        spoofed.push((await fromProxy(`192.0.2.${i}, 198.51.100.3`)).statusCode);
      }
      expect(spoofed).toEqual([401, 401, 401, 429, 429]);
    });

    it('with a hop count, takes the address the nearest proxies saw', async () => {
      const a = await app({ trustProxy: 1 });
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        statuses.push((await attempt(a, '10.0.0.2', `192.0.2.${i}, 198.51.100.9`)).statusCode);
      }
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
    });

    it('counts an IPv6 client by its /64: the same /64 shares a limit, another /64 does not', async () => {
      const a = await app();
      const statuses: number[] = [];
      for (const client of [
        '2001:db8:aa:1::1',
        '2001:db8:aa:1::2',
        '2001:db8:aa:1:abcd:1234:5678:9abc',
        '2001:0db8:00aa:0001::ffff',
      ]) {
        statuses.push((await attempt(a, client)).statusCode);
      }
      expect(statuses).toEqual([401, 401, 401, 429]);
      // The next /64 up has a count of its own.
      expect((await attempt(a, '2001:db8:aa:2::1')).statusCode).toBe(401);
      // Behind a trusted proxy, the addresses it names are grouped the same way.
      const proxied = await app({ trustProxy: ['10.0.0.0/8'] });
      const named: number[] = [];
      for (const client of ['2001:db8:bb:7::1', '2001:db8:bb:7::2', '2001:db8:bb:7:ffff::9']) {
        named.push((await attempt(proxied, '10.0.0.2', client)).statusCode);
      }
      expect(named).toEqual([401, 401, 401]);
      expect((await attempt(proxied, '10.0.0.2', '2001:db8:bb:7:1:2:3:4')).statusCode).toBe(429);
      expect((await attempt(proxied, '10.0.0.2', '2001:db8:bb:8::1')).statusCode).toBe(401);
    });

    it('never counts successful sign-ins toward the limit per email', async () => {
      const a = await app({ loginLimits: { perEmail: 2, perIp: 1000 } });
      const signIn = () =>
        a.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { email: ws.users.operator.email, password: PASSWORD },
        });
      const wrong = () =>
        a.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { email: ws.users.operator.email, password: 'not the password' },
        });
      for (let i = 0; i < 6; i++) expect((await signIn()).statusCode).toBe(200);
      expect((await wrong()).statusCode).toBe(401);
      expect((await signIn()).statusCode).toBe(200);
      expect((await wrong()).statusCode).toBe(401);
      // Two failures reach the limit: now even the right password waits.
      const limited = await signIn();
      expect(limited.statusCode).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    });

    it('makes the session cookie Secure when the public URL is https', async () => {
      const signIn = async (a: FastifyInstance, headers: Record<string, string> = {}) => {
        const res = await a.inject({
          method: 'POST',
          url: '/api/auth/login',
          headers,
          payload: { email: ws.users.viewer.email, password: PASSWORD },
        });
        expect(res.statusCode).toBe(200);
        return res.cookies.find((c) => c.name === 'ft_session')!;
      };
      expect((await signIn(await app({ publicUrl: 'https://ft.example.com' }))).secure).toBe(true);
      const plain = await app({ publicUrl: 'http://localhost:3000' });
      expect((await signIn(plain)).secure).toBeFalsy();
      // An untrusted client cannot claim https; a trusted proxy can.
      expect((await signIn(plain, { 'x-forwarded-proto': 'https' })).secure).toBeFalsy();
      const proxied = await app({ trustProxy: ['127.0.0.1'] });
      expect((await signIn(proxied, { 'x-forwarded-proto': 'https' })).secure).toBe(true);
    });
  });
}
