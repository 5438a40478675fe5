/**
 * npm run bench:web — the contact page in a browser.
 *
 * (a) The JavaScript a visit to /contacts/:id loads, gzipped: read from the build's manifest
 *     (dist/web/.vite/manifest.json: the entry and the contact route's chunks with their static
 *     imports) and measured in Chromium (every script response of a navigation there). Target:
 *     at most 250 KB.
 * (b) Navigation to the page until the "Follow-ups" card shows its rows, for a contact with 200
 *     follow-ups and 500 call logs, in headless Chromium: 10 navigations, each in a fresh tab
 *     (the HTTP cache is cold for the first, warm after). Target: median at most 1 s. The
 *     anchors, in the same run: the same page for a contact without follow-ups or calls, and
 *     the page's API requests alone (fetched in parallel by the same browser: the floor).
 *
 * The server is a real `followthrough serve` on PostgreSQL (database followthrough_bench_web,
 * made afresh each run) with the demo workspace. Follow-ups are created through the API; call
 * logs have no create API, so they are inserted with a second connection.
 *
 *   npm run bench:web -- [--runs 10] [--no-build]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import pg from 'pg';
import { chromium, type Page } from 'playwright-core';
import { ADMIN_EMAIL, ADMIN_PASSWORD, ROOT, startServer } from '../e2e/helpers/server.ts';
import { arg, saveResult, table } from './lib.ts';

const RUNS = Number(arg('runs', '10'));
const FOLLOW_UPS = 200;
const CALL_LOGS = 500;
const JS_TARGET_KB = 250;
const TIME_TARGET_MS = 1000;
const DIST = path.join(ROOT, 'dist/web');
const DATABASE_URL =
  process.env.BENCH_WEB_DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/followthrough_bench_web';

const kb = (bytes: number) => bytes / 1000;
const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

// (a) JavaScript: the build's manifest.

interface ManifestChunk {
  file: string;
  imports?: string[];
  dynamicImports?: string[];
  isEntry?: boolean;
}

function manifestJs(route: string) {
  const manifest = JSON.parse(
    readFileSync(path.join(DIST, '.vite/manifest.json'), 'utf8'),
  ) as Record<string, ManifestChunk>;
  const entry = Object.keys(manifest).find((key) => manifest[key]!.isEntry);
  if (!entry) throw new Error('The manifest has no entry.');
  if (!manifest[route]) throw new Error(`The manifest has no chunk for ${route}.`);
  // Static imports only: what loads with the page (dynamic imports load on demand).
  const files = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (!chunk || files.has(chunk.file)) return;
    files.add(chunk.file);
    for (const next of chunk.imports ?? []) visit(next);
  };
  visit(entry);
  const shell = new Set(files);
  visit(route);
  const gz = (file: string) => gzipSync(readFileSync(path.join(DIST, file))).length;
  const sum = (list: Iterable<string>) => [...list].reduce((n, f) => n + gz(f), 0);
  return {
    chunks: files.size,
    gzipBytes: sum(files),
    shellGzipBytes: sum(shell),
    routeGzipBytes: sum([...files].filter((f) => !shell.has(f))),
    rawBytes: [...files].reduce((n, f) => n + readFileSync(path.join(DIST, f)).length, 0),
  };
}

// The server and its data.

async function freshDatabase(): Promise<void> {
  const url = new URL(DATABASE_URL);
  const name = url.pathname.slice(1);
  const admin = new pg.Client({ connectionString: DATABASE_URL.replace(/\/[^/]+$/, '/postgres') });
  await admin.connect();
  await admin.query(`drop database if exists "${name}" with (force)`);
  await admin.query(`create database "${name}"`);
  await admin.end();
}

async function signInCookie(base: string): Promise<string> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
  });
  if (!res.ok) throw new Error(`Sign-in failed: ${res.status} ${await res.text()}`);
  const match = /ft_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '');
  if (!match) throw new Error('No session cookie.');
  return match[1]!;
}

function client(base: string, cookie: string) {
  return async <T>(method: string, url: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${base}/api${url}`, {
      method,
      headers: {
        cookie: `ft_session=${cookie}`,
        origin: base,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${text}`);
    return JSON.parse(text) as T;
  };
}

async function inParallel<T>(count: number, width: number, task: (i: number) => Promise<T>) {
  let next = 0;
  const out: T[] = [];
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < count) {
        const i = next++;
        out[i] = await task(i);
      }
    }),
  );
  return out;
}

/** A contact with 200 follow-ups (the API) and 500 call logs (SQL), and an empty one. */
async function arrange(base: string, cookie: string) {
  const call = client(base, cookie);
  const stamp = Date.now() % 1_000_000;
  const contact = await call<{ id: string }>('POST', '/contacts', {
    firstName: 'Bench',
    lastName: 'Heavy',
    phone: `+1312555${String(stamp % 10_000).padStart(4, '0')}`,
    timezone: 'America/Chicago',
    company: 'Benchmark Co',
  });
  const empty = await call<{ id: string }>('POST', '/contacts', {
    firstName: 'Bench',
    lastName: 'Empty',
    phone: `+1312556${String(stamp % 10_000).padStart(4, '0')}`,
    timezone: 'America/Chicago',
  });
  const agents = (await call<{ items: { id: string; status: string }[] }>('GET', '/agents')).items
    .filter((a) => a.status === 'active')
    .map((a) => a.id);
  const campaigns = (await call<{ items: { id: string }[] }>('GET', '/campaigns?limit=200')).items;
  const priorities = ['low', 'normal', 'high', 'urgent'];
  const t0 = performance.now();
  await inParallel(FOLLOW_UPS, 8, (i) =>
    call('POST', '/follow-ups', {
      contactId: contact.id,
      type: i % 5 === 4 ? 'sms' : 'call',
      scheduledAt: new Date(Date.now() + (10 + i * 97) * 60_000).toISOString(),
      agentId: i % 3 === 0 ? null : (agents[i % agents.length] ?? null),
      priority: priorities[i % 4],
      maxAttempts: 1 + (i % 5),
      allowOutOfWindow: i % 17 === 0,
      notes: i % 4 === 0 ? `Bench follow-up ${i}` : null,
      campaignId: i % 2 === 0 ? (campaigns[i % campaigns.length]?.id ?? null) : null,
    }),
  );
  const apiSeconds = (performance.now() - t0) / 1000;

  // Most of a busy contact's follow-ups are finished: 140 of 200 (no engine runs here).
  const db = new pg.Client({ connectionString: DATABASE_URL });
  await db.connect();
  await db.query(
    `with picked as (
       select id, row_number() over (order by id) as n from follow_ups where contact_id = $1
     )
     update follow_ups f set
       status = (array['completed', 'failed', 'cancelled', 'expired'])[1 + picked.n % 4],
       attempts = case when picked.n % 4 = 0 then 1 else 0 end,
       scheduled_at = now() - (picked.n || ' hours')::interval,
       completed_at = now() - (picked.n || ' hours')::interval + interval '5 minutes',
       last_error = case when picked.n % 4 = 1 then 'No answer after every attempt.' end
     from picked where f.id = picked.id and picked.n <= 140`,
    [contact.id],
  );
  const outcomes = [
    'answered',
    'no_answer',
    'busy',
    'voicemail',
    'failed',
    'callback_requested',
    'not_interested',
  ];
  await db.query(
    `insert into call_logs (id, workspace_id, contact_id, agent_id, campaign_id, direction, outcome,
       started_at, ended_at, duration_seconds, summary)
     select gen_random_uuid(), c.workspace_id, c.id,
       ($2::uuid[])[1 + i % cardinality($2::uuid[])],
       case when i % 2 = 0 then ($3::uuid[])[1 + i % cardinality($3::uuid[])] end,
       case when i % 10 = 0 then 'inbound' else 'outbound' end,
       ($4::text[])[1 + i % cardinality($4::text[])],
       now() - (i * 7 || ' hours')::interval,
       now() - (i * 7 || ' hours')::interval + ((30 + i % 400) || ' seconds')::interval,
       30 + i % 400,
       'Bench call ' || i || ': talked about the renewal and agreed on next steps.'
     from contacts c, generate_series(1, $5::int) as i
     where c.id = $1`,
    [contact.id, agents, campaigns.map((c) => c.id), outcomes, CALL_LOGS],
  );
  const [counts] = (
    await db.query(
      `select (select count(*) from follow_ups where contact_id = $1)::int as follow_ups,
              (select count(*) from call_logs where contact_id = $1)::int as call_logs`,
      [contact.id],
    )
  ).rows as { follow_ups: number; call_logs: number }[];
  await db.end();
  if (counts?.follow_ups !== FOLLOW_UPS || counts.call_logs !== CALL_LOGS) {
    throw new Error(`Arranged ${JSON.stringify(counts)}, not ${FOLLOW_UPS} and ${CALL_LOGS}.`);
  }
  return { heavy: contact.id, empty: empty.id, apiSeconds };
}

// (b) Navigations in Chromium.

/** Debian's Chromium (never a downloaded browser), in a fresh profile: a cold HTTP cache. */
async function launch() {
  const profile = mkdtempSync(path.join(tmpdir(), 'ft-bench-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 900 },
    locale: 'en-US',
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Before the page's own scripts: note the moment the Follow-ups card first shows rows (or its
 * empty state), at the next animation frame, in ms since the navigation started.
 */
const READY_SCRIPT = `(() => {
  const ready = () => {
    const card = document.querySelector('[data-testid="follow-ups-card"]');
    if (!card) return false;
    return card.querySelector('tbody tr') !== null || /No follow-ups scheduled/.test(card.textContent);
  };
  const observer = new MutationObserver(() => {
    if (!ready()) return;
    observer.disconnect();
    requestAnimationFrame(() => { window.__ftReady = performance.now(); });
  });
  observer.observe(document, { childList: true, subtree: true });
})();`;

interface Navigation {
  ms: number;
  rows: number;
  scripts: { url: string; bytes: number; gzipBytes: number }[];
}

async function navigate(page: Page, url: string): Promise<Navigation> {
  const scripts: Navigation['scripts'] = [];
  const pending: Promise<void>[] = [];
  page.on('response', (response) => {
    if (response.request().resourceType() !== 'script') return;
    pending.push(
      response
        .body()
        .then((body) => {
          scripts.push({
            url: response.url(),
            bytes: body.length,
            gzipBytes: gzipSync(body).length,
          });
        })
        .catch(() => {}),
    );
  });
  await page.addInitScript(READY_SCRIPT);
  await page.goto(url);
  try {
    // A function, not a string: the app's Content-Security-Policy forbids evaluating strings.
    await page.waitForFunction(
      () => (globalThis as unknown as { __ftReady?: number }).__ftReady !== undefined,
      null,
      { timeout: 30_000 },
    );
  } catch (error) {
    const text = await page.evaluate('document.body.innerText').catch(() => '');
    throw new Error(`${url} did not show the card's rows. The page said:\n${text}`, {
      cause: error,
    });
  }
  const ms = (await page.evaluate('window.__ftReady')) as number;
  if (process.env.BENCH_WEB_TRACE === '1') {
    // Where the time went: when each request started and ended (ms since navigation start).
    const trace = await page.evaluate(`performance.getEntriesByType('resource').map((e) =>
      [e.name.replace(location.origin, '').slice(0, 60), Math.round(e.startTime),
        Math.round(e.responseEnd)].join(' '))`);
    console.log(`ready ${ms.toFixed(0)} ms\n  ${(trace as string[]).join('\n  ')}`);
  }
  const rows = (await page.evaluate(
    `document.querySelectorAll('[data-testid="follow-ups-card"] tbody tr').length`,
  )) as number;
  await Promise.all(pending);
  return { ms, rows, scripts };
}

/** The API requests the page makes, fetched at once by the browser: what no UI can beat. */
const API_FLOOR = (id: string) => `(async () => {
  const t = performance.now();
  await Promise.all([
    '/api/me', '/api/contacts/${id}', '/api/contacts/${id}/call-logs?limit=5',
    '/api/follow-ups?contactId=${id}&limit=10',
  ].map((u) => fetch(u, { credentials: 'same-origin' }).then((r) => r.text())));
  return performance.now() - t;
})()`;

async function main() {
  if (!process.argv.includes('--no-build')) {
    console.log('Building the web app (vite build)…');
    const built = spawnSync(path.join(ROOT, 'node_modules/.bin/vite'), ['build'], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (built.status !== 0) throw new Error('vite build failed');
  }
  const fromManifest = manifestJs('features/contacts/pages/contact-page.tsx');

  console.log(`Starting followthrough serve on PostgreSQL (${new URL(DATABASE_URL).pathname})…`);
  await freshDatabase();
  const server = await startServer({ env: { DATABASE_URL } });
  const browser = await launch();
  try {
    const base = server.url;
    const cookie = await signInCookie(base);
    console.log(`Arranging ${FOLLOW_UPS} follow-ups (API) and ${CALL_LOGS} call logs (SQL)…`);
    const { heavy, empty, apiSeconds } = await arrange(base, cookie);
    await browser.context.addCookies([{ name: 'ft_session', value: cookie, url: base }]);

    const series = async (id: string) => {
      const list: Navigation[] = [];
      for (let i = 0; i < RUNS; i++) {
        const page = await browser.context.newPage();
        list.push(await navigate(page, `${base}/contacts/${id}`));
        await page.close();
      }
      return list;
    };
    console.log(`Navigating ${RUNS} times to each contact…`);
    const heavyRuns = await series(heavy);
    const emptyRuns = await series(empty);
    if (heavyRuns.some((r) => r.rows !== 10)) {
      throw new Error(`The card showed ${heavyRuns.map((r) => r.rows)} rows, not 10.`);
    }
    const floor: number[] = [];
    const page = await browser.context.newPage();
    await page.goto(`${base}/contacts/${heavy}`);
    for (let i = 0; i < RUNS; i++) floor.push((await page.evaluate(API_FLOOR(heavy))) as number);
    await page.close();

    // What the first (cold) visit transferred: every script, each gzipped.
    const measured = heavyRuns[0]!.scripts;
    const measuredGzip = measured.reduce((n, s) => n + s.gzipBytes, 0);
    const ms = heavyRuns.map((r) => r.ms);
    const result = {
      date: new Date().toISOString(),
      command: 'npm run bench:web',
      node: process.version,
      runs: RUNS,
      contact: { followUps: FOLLOW_UPS, callLogs: CALL_LOGS, createdThroughApiSeconds: apiSeconds },
      javascript: {
        targetKB: JS_TARGET_KB,
        manifest: {
          chunks: fromManifest.chunks,
          gzipKB: kb(fromManifest.gzipBytes),
          shellGzipKB: kb(fromManifest.shellGzipBytes),
          routeGzipKB: kb(fromManifest.routeGzipBytes),
          rawKB: kb(fromManifest.rawBytes),
        },
        chromium: {
          scripts: measured.length,
          gzipKB: kb(measuredGzip),
          rawKB: kb(measured.reduce((n, s) => n + s.bytes, 0)),
          files: measured.map((s) => path.basename(new URL(s.url).pathname)).sort(),
        },
      },
      followUpsCard: {
        targetMs: TIME_TARGET_MS,
        heavy: {
          medianMs: median(ms),
          coldMs: ms[0],
          warmMedianMs: median(ms.slice(1)),
          allMs: ms,
        },
        emptyContact: {
          medianMs: median(emptyRuns.map((r) => r.ms)),
          allMs: emptyRuns.map((r) => r.ms),
        },
        apiFloor: { medianMs: median(floor), allMs: floor },
        ratioToEmpty: median(ms) / median(emptyRuns.map((r) => r.ms)),
        ratioToApiFloor: median(ms) / median(floor),
      },
    };

    const jsKB = Math.max(result.javascript.manifest.gzipKB, result.javascript.chromium.gzipKB);
    console.log('\nJavaScript for /contacts/:id (gzip)');
    console.log(
      table([
        {
          measure: 'manifest: entry + contact route, static imports',
          chunks: fromManifest.chunks,
          'gzip KB': result.javascript.manifest.gzipKB,
          'raw KB': result.javascript.manifest.rawKB,
        },
        {
          measure: 'Chromium: scripts of a cold navigation',
          chunks: measured.length,
          'gzip KB': result.javascript.chromium.gzipKB,
          'raw KB': result.javascript.chromium.rawKB,
        },
      ]),
    );
    console.log(`target ≤ ${JS_TARGET_KB} KB: ${jsKB <= JS_TARGET_KB ? 'met' : 'MISSED'}`);
    console.log(
      `\nNavigation → Follow-ups card rows (${RUNS} fresh tabs, ms; only the very first ` +
        'navigation has a cold cache)',
    );
    const f = result.followUpsCard;
    console.log(
      table([
        {
          page: `contact with ${FOLLOW_UPS} follow-ups, ${CALL_LOGS} calls`,
          median: f.heavy.medianMs,
          first: f.heavy.coldMs ?? 0,
          'warm median': f.heavy.warmMedianMs,
          min: Math.min(...ms),
          max: Math.max(...ms),
        },
        {
          page: 'anchor: contact without follow-ups or calls',
          median: f.emptyContact.medianMs,
          first: f.emptyContact.allMs[0] ?? 0,
          'warm median': median(f.emptyContact.allMs.slice(1)),
          min: Math.min(...f.emptyContact.allMs),
          max: Math.max(...f.emptyContact.allMs),
        },
        {
          page: 'floor: its 4 API requests, in parallel',
          median: f.apiFloor.medianMs,
          first: f.apiFloor.allMs[0] ?? 0,
          'warm median': median(f.apiFloor.allMs.slice(1)),
          min: Math.min(...floor),
          max: Math.max(...floor),
        },
      ]),
    );
    console.log(
      `ratio to the empty contact ${f.ratioToEmpty.toFixed(2)}, to the API floor ${f.ratioToApiFloor.toFixed(1)}; ` +
        `target median ≤ ${TIME_TARGET_MS} ms: ${f.heavy.medianMs <= TIME_TARGET_MS ? 'met' : 'MISSED'}`,
    );
    console.log(`\nwrote ${saveResult('web', result)}`);
  } finally {
    await browser.close();
    await server.stop();
  }
}

await main();
