/**
 * Logs a person can read: one readable line per entry on a terminal, JSON elsewhere; requests
 * at info only when they fail (or are slow), the rest at debug; secrets never in a line.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../src/server/http/app.ts';
import { createLogger } from '../src/server/logger.ts';
import { testDatabases, useDatabase } from './helpers/databases.ts';

function capture() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk) => {
    text += chunk;
  });
  return { stream, lines: () => text.split('\n').filter(Boolean) };
}

describe('log lines', () => {
  it('are JSON when not on a terminal', () => {
    const out = capture();
    createLogger('info', 'followthrough', { pretty: false, destination: out.stream }).info(
      { followUpId: 'f1' },
      'attempt started',
    );
    expect(JSON.parse(out.lines()[0]!)).toMatchObject({
      level: 30,
      msg: 'attempt started',
      followUpId: 'f1',
    });
  });

  it('are one readable line each on a terminal, secrets redacted', () => {
    const out = capture();
    const log = createLogger('info', 'followthrough', { pretty: true, destination: out.stream });
    log.info({ followUpId: 'f1', user: { password: 'hunter2hunter2' } }, 'attempt started');
    log.warn('second');
    log.info(
      {
        reqId: 'r1',
        req: { method: 'GET', url: '/api/x' },
        res: { statusCode: 404 },
        responseTime: 3,
      },
      'request refused',
    );
    const lines = out.lines();
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatch(/INFO: request refused: GET \/api\/x → 404 in 3 ms$/);
    expect(lines[0]).toMatch(/INFO.*attempt started.*followUpId.*f1/);
    expect(lines[0]).not.toMatch(/^\{/);
    expect(lines[0]).not.toContain('hunter2');
    expect(lines[1]).toMatch(/WARN.*second/);
  });
});

for (const target of testDatabases()) {
  describe(`request logs [${target.name}]`, () => {
    const ctx = useDatabase(target);

    async function requests(level: string) {
      const out = capture();
      const logger = createLogger(level, 'followthrough', {
        pretty: false,
        destination: out.stream,
      });
      const app = await buildApp({ handle: ctx.handle, logger, webRoot: '/nonexistent' });
      await app.inject({ method: 'GET', url: '/api/health' });
      await app.inject({
        method: 'GET',
        url: '/api/follow-ups',
        headers: { authorization: 'Bearer not-a-key' },
      });
      await app.close();
      return out.lines().map(
        (l) =>
          JSON.parse(l) as {
            level: number;
            msg: string;
            req?: { url: string };
            res?: { statusCode: number };
          },
      );
    }

    it('at info: only the failed request, with its status and duration', async () => {
      const entries = (await requests('info')).filter((e) => e.req || e.res);
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({
        level: 30,
        msg: 'request refused',
        req: { url: '/api/follow-ups' },
        res: { statusCode: 401 },
        responseTime: expect.any(Number),
      });
      expect(JSON.stringify(entries)).not.toContain('not-a-key');
    });

    it('at debug: every request', async () => {
      const entries = (await requests('debug')).filter((e) => e.res);
      expect(entries.map((e) => [e.req!.url, e.res!.statusCode])).toEqual([
        ['/api/health', 200],
        ['/api/follow-ups', 401],
      ]);
    });
  });
}
