/**
 * The outbound address rules and client. Nothing here sends a packet off loopback: names resolve
 * through a stub resolver, and the client's `connectAddress` hook records the address it checked
 * and would connect to, then opens the socket to a receiver on 127.0.0.1 instead.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyAddress, isRefusedAddress } from './address-policy.ts';
import {
  createOutboundClient,
  type OutboundClient,
  OutboundError,
  type PinnedAddress,
  pinAddress,
} from './http-client.ts';

const REFUSED = [
  // IPv4 special ranges
  '0.0.0.0',
  '0.1.2.3',
  '10.1.2.3',
  '100.64.0.1',
  '100.127.255.254',
  '127.0.0.1',
  '127.8.9.10',
  '169.254.169.254',
  '172.16.0.1',
  '172.31.255.255',
  '192.0.0.8',
  '192.0.2.1',
  '192.88.99.1',
  '192.168.1.1',
  '198.18.0.1',
  '198.19.255.254',
  '198.51.100.7',
  '203.0.113.7',
  '224.0.0.1',
  '240.0.0.1',
  '255.255.255.255',
  // IPv6 special ranges
  '::',
  '::1',
  'fe80::1',
  'fd12:3456::1',
  'fc00::1',
  'ff02::1',
  'fec0::1',
  '100::1',
  '2001:db8::1',
  '2001::1',
  '2001:2::1',
  '3fff::1',
  '4000::1',
  // IPv6 forms that carry a private IPv4 address
  '::ffff:10.0.0.1',
  '::ffff:127.0.0.1',
  '::ffff:7f00:1',
  '::127.0.0.1',
  '::10.0.0.1',
  '::a00:1',
  '64:ff9b::10.0.0.1',
  '64:ff9b::a9fe:a9fe',
  '64:ff9b::100.64.0.1',
  '64:ff9b:1::a00:1',
  '2002:a00:1::1',
  '2002:7f00:1::',
  '2002:c0a8:101::1',
  '[::1]',
  'fe80::1%eth0',
];

const ALLOWED = [
  '8.8.8.8',
  '93.184.216.34',
  '1.1.1.1',
  '172.32.0.1',
  '172.15.255.255',
  '100.63.255.255',
  '100.128.0.1',
  '198.20.0.1',
  '2606:4700::1111',
  '2a00:1450:4001::200e',
  '::ffff:8.8.8.8',
  '64:ff9b::808:808',
  '2002:808:808::1',
];

describe('address policy', () => {
  it('refuses every reserved range and every embedded form of one', () => {
    for (const address of REFUSED) {
      expect(classifyAddress(address)?.allowed, address).toBe(false);
      expect(isRefusedAddress(address), address).toBe(true);
    }
  });

  it('allows public unicast addresses, also inside IPv6 forms', () => {
    for (const address of ALLOWED) {
      expect(classifyAddress(address)?.allowed, address).toBe(true);
    }
  });

  it('connects to the IPv4 address of a mapped form', () => {
    expect(classifyAddress('::ffff:8.8.8.8')).toMatchObject({ connectTo: '8.8.8.8', family: 4 });
    expect(classifyAddress('64:ff9b::808:808')).toMatchObject({ family: 6 });
  });

  it('is not an address: names are left to the resolver', () => {
    expect(classifyAddress('hooks.example.com')).toBeNull();
    expect(isRefusedAddress('hooks.example.com')).toBe(false);
  });

  it('reads decimal, hex and octal IPv4 spellings the way URLs do', () => {
    for (const spelling of [
      'http://2130706433/',
      'http://0x7f000001/',
      'http://0x7f.1/',
      'http://0177.0.0.1/',
      'http://127.1/',
      'http://017700000001/',
      'http://0xa.0.0.1/',
      'http://[::ffff:127.0.0.1]/',
      'http://[0:0:0:0:0:ffff:7f00:1]/',
    ]) {
      const host = new URL(spelling).hostname;
      expect(isRefusedAddress(host), spelling).toBe(true);
    }
  });
});

describe('pinAddress', () => {
  const stub = (answers: Record<string, string[]>) => {
    const asked: string[] = [];
    return {
      asked,
      resolve: async (host: string) => {
        asked.push(host);
        const answer = answers[host];
        if (!answer) throw Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' });
        return answer;
      },
    };
  };

  it('refuses a name when any of its addresses is private', async () => {
    const { resolve } = stub({ 'mixed.example': ['93.184.216.34', '10.0.0.8'] });
    await expect(pinAddress('mixed.example', { allowPrivate: false, resolve })).rejects.toThrow(
      'The address 10.0.0.8 is not allowed (private or reserved network).',
    );
  });

  it('pins a public name to the first address it checked', async () => {
    const { resolve } = stub({ 'hooks.example': ['93.184.216.34', '2606:4700::1111'] });
    expect(await pinAddress('hooks.example', { allowPrivate: false, resolve })).toEqual({
      host: 'hooks.example',
      address: '93.184.216.34',
      family: 4,
    });
  });

  it('refuses literal addresses without asking the resolver', async () => {
    const { resolve, asked } = stub({});
    for (const literal of ['10.0.0.1', '[::1]', '100.64.0.1', '198.18.0.1', '::ffff:10.0.0.1']) {
      await expect(pinAddress(literal, { allowPrivate: false, resolve })).rejects.toMatchObject({
        kind: 'refused',
      });
    }
    expect(asked).toEqual([]);
  });

  it('says plainly when a name does not resolve', async () => {
    const { resolve } = stub({});
    const error = await pinAddress('nowhere.example', { allowPrivate: false, resolve }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OutboundError);
    expect((error as OutboundError).message).toBe(
      'Could not connect: the name nowhere.example was not found.',
    );
    expect((error as OutboundError).message).not.toMatch(/ENOTFOUND|EAI_/);
  });

  it('lets private addresses through when allowed (development)', async () => {
    const { resolve } = stub({ 'dev.internal': ['10.0.0.8'] });
    expect(await pinAddress('dev.internal', { allowPrivate: true, resolve })).toMatchObject({
      address: '10.0.0.8',
    });
  });
});

describe('outbound client', () => {
  let server: Server;
  let port: number;
  const hits: { url: string; host: string | undefined }[] = [];
  let answer: { status: number; headers?: Record<string, string> } = { status: 200 };

  beforeAll(async () => {
    server = createServer((req, res) => {
      hits.push({ url: req.url ?? '', host: req.headers.host });
      req.resume();
      req.on('end', () => {
        res.writeHead(answer.status, answer.headers).end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  /** A client whose names resolve through `answers` (a new list each time it is asked). */
  function client(answers: string[][], allowPrivate = false) {
    const pinned: PinnedAddress[] = [];
    let asked = 0;
    const outbound = createOutboundClient({
      allowPrivate,
      resolve: async () => answers[Math.min(asked++, answers.length - 1)]!,
      // Record the address the client checked, and connect to the loopback receiver instead.
      connectAddress: (address) => {
        pinned.push(address);
        return '127.0.0.1';
      },
    });
    return { outbound, pinned, asked: () => asked };
  }
  const post = (outbound: OutboundClient, url: string) =>
    outbound.post(url, {
      body: '{}',
      headers: { 'content-type': 'application/json' },
      timeoutMs: 5_000,
    });

  it('connects to the address it checked, with the name in the Host header', async () => {
    const { outbound, pinned } = client([['93.184.216.34']]);
    try {
      const response = await post(outbound, `http://hooks.example.com:${port}/in`);
      expect(response.status).toBe(200);
      expect(pinned).toEqual([{ host: 'hooks.example.com', address: '93.184.216.34', family: 4 }]);
      expect(hits.at(-1)).toEqual({ url: '/in', host: `hooks.example.com:${port}` });
    } finally {
      await outbound.close();
    }
  });

  it('resolves once: a name that turns private after the check (DNS rebinding) never connects there', async () => {
    const { outbound, pinned, asked } = client([['93.184.216.34'], ['127.0.0.1'], ['10.0.0.1']]);
    try {
      await post(outbound, `http://rebind.example:${port}/a`);
      expect(asked()).toBe(1);
      expect(pinned.map((p) => p.address)).toEqual(['93.184.216.34']);
    } finally {
      await outbound.close();
    }
  });

  it('refuses a name that resolves privately, before any connection', async () => {
    const { outbound, pinned } = client([['169.254.169.254']]);
    const before = hits.length;
    try {
      const error = await post(outbound, `http://metadata.example:${port}/`).catch((e) => e);
      expect(error).toBeInstanceOf(OutboundError);
      expect(error).toMatchObject({
        kind: 'refused',
        message: 'The address 169.254.169.254 is not allowed (private or reserved network).',
      });
      expect(pinned).toEqual([]);
      expect(hits.length).toBe(before);
    } finally {
      await outbound.close();
    }
  });

  it('refuses literal private addresses in every spelling, before any connection', async () => {
    const { outbound, pinned, asked } = client([['93.184.216.34']]);
    const before = hits.length;
    try {
      for (const url of [
        `http://127.0.0.1:${port}/`,
        `http://2130706433:${port}/`,
        `http://0x7f.1:${port}/`,
        `http://[::1]:${port}/`,
        `http://[::ffff:127.0.0.1]:${port}/`,
        `http://[64:ff9b::7f00:1]:${port}/`,
        `http://[2002:7f00:1::]:${port}/`,
        `http://100.64.0.1:${port}/`,
        `http://198.18.0.1:${port}/`,
      ]) {
        const error = await post(outbound, url).catch((e) => e);
        expect(error, url).toMatchObject({ kind: 'refused' });
        expect(error.message, url).toMatch(
          /^The address .+ is not allowed \(private or reserved network\)\.$/,
        );
      }
      expect(asked()).toBe(0);
      expect(pinned).toEqual([]);
      expect(hits.length).toBe(before);
    } finally {
      await outbound.close();
    }
  });

  it('does not follow redirects', async () => {
    const { outbound, pinned } = client([['93.184.216.34']]);
    answer = { status: 302, headers: { location: `http://127.0.0.1:${port}/internal` } };
    const before = hits.length;
    try {
      const response = await post(outbound, `http://hooks.example.com:${port}/in`);
      expect(response.status).toBe(302);
      expect(hits.length).toBe(before + 1);
      expect(hits.at(-1)!.url).toBe('/in');
      expect(pinned).toHaveLength(1);
    } finally {
      answer = { status: 200 };
      await outbound.close();
    }
  });

  it('says "Could not connect" without socket codes when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const { outbound } = client([['127.0.0.1']], true);
    try {
      const error = await post(outbound, `http://dev.local:${closedPort}/`).catch((e) => e);
      expect(error).toMatchObject({ kind: 'unreachable', message: 'Could not connect.' });
    } finally {
      await outbound.close();
    }
  });

  it('reaches loopback when private targets are allowed', async () => {
    const outbound = createOutboundClient({ allowPrivate: true });
    try {
      expect((await post(outbound, `http://127.0.0.1:${port}/dev`)).status).toBe(200);
    } finally {
      await outbound.close();
    }
  });
});
