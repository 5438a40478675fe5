/**
 * One way to open the database. Without DATABASE_URL: an embedded PostgreSQL (PGlite) in the
 * data directory, owned by this process alone. With DATABASE_URL: a pool of connections to a
 * PostgreSQL server. The rest of the code gets a `Database` and cannot tell which.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { MIGRATIONS_FOLDER } from '../paths.ts';
import * as schema from './schema.ts';
import { attachStatementDriver, pgliteStatementDriver, pgStatementDriver } from './statements.ts';

export type Schema = typeof schema;
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
/** The handle a transaction callback receives: use only it inside the callback. */
export type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];
export type DbOrTx = Database | Tx;

export interface DatabaseHandle {
  db: Database;
  kind: 'pglite' | 'postgres';
  /** Where the data lives, for messages: a directory or the server address (no password). */
  location: string;
  migrate(): Promise<void>;
  ping(): Promise<boolean>;
  /**
   * Calls `onMessage` for every notification on `channel` from any process. On PostgreSQL the
   * listening connection reconnects by itself; `onReconnect` runs after each reconnection
   * (notifications sent meanwhile are lost: look at the database again then).
   */
  listen(
    channel: string,
    onMessage: (payload: string) => void,
    onReconnect?: () => void,
  ): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface OpenOptions {
  databaseUrl?: string | undefined;
  /** PGlite's directory; `memory://` for a throwaway database (tests). */
  dataDir: string;
  /** Pool size on PostgreSQL. */
  poolSize?: number;
  /** Sees every query the ORM sends (benchmarks record the SQL of a request with it). */
  logQuery?: (query: string, params: unknown[]) => void;
}

export { MIGRATIONS_FOLDER };

export class DatabaseLockedError extends Error {}

export async function openDatabase(options: OpenOptions): Promise<DatabaseHandle> {
  const logger = options.logQuery ? { logQuery: options.logQuery } : undefined;
  return options.databaseUrl
    ? openPostgres(options.databaseUrl, options.poolSize ?? 10, logger)
    : openPglite(options.dataDir, logger);
}

type QueryLogger = { logQuery: (query: string, params: unknown[]) => void } | undefined;

async function openPostgres(
  url: string,
  poolSize: number,
  logger: QueryLogger,
): Promise<DatabaseHandle> {
  // Sessions run in UTC, as PGlite's does: instants come back as '…+00' text on both drivers.
  const pool = new pg.Pool({ connectionString: url, max: poolSize, options: '-c TimeZone=UTC' });
  // A connection that drops (server restart) must not crash the process; the pool reconnects.
  pool.on('error', () => {});
  // The pool listens for errors of idle clients only: a checked-out client (a transaction waiting
  // for its next statement) whose connection drops would emit an unhandled 'error' and end the
  // process. Its query fails instead, and the pool discards it on release.
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  const db = drizzlePg({
    client: pool,
    schema,
    ...(logger ? { logger } : {}),
  }) as unknown as Database;
  attachStatementDriver(db, pgStatementDriver(pool, logger));
  return {
    db,
    kind: 'postgres',
    location: redactUrl(url),
    async migrate() {
      // Many processes may start at once: one migrates, the others wait for it.
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query('select pg_advisory_lock(7419001)');
        await migratePg(drizzlePg({ client, schema }), { migrationsFolder: MIGRATIONS_FOLDER });
      } finally {
        await client.query('select pg_advisory_unlock(7419001)').catch(() => {});
        await client.end();
      }
    },
    ping: () => ping(db),
    listen: (channel, onMessage, onReconnect) =>
      listenPostgres(url, channel, onMessage, onReconnect),
    close: () => pool.end(),
  };
}

/** A dedicated connection that LISTENs, and comes back after the server restarts. */
async function listenPostgres(
  url: string,
  channel: string,
  onMessage: (payload: string) => void,
  onReconnect?: () => void,
): Promise<() => Promise<void>> {
  let client: pg.Client | null = null;
  let stopped = false;
  let retry: NodeJS.Timeout | null = null;
  const connect = async (isReconnect: boolean): Promise<void> => {
    const next = new pg.Client({ connectionString: url });
    next.on('notification', (n) => {
      if (n.channel === channel) onMessage(n.payload ?? '');
    });
    const lost = () => {
      if (stopped || client !== next) return;
      client = null;
      next.removeAllListeners('end');
      next.end().catch(() => {});
      schedule();
    };
    next.on('error', lost);
    next.on('end', lost);
    try {
      await next.connect();
      await next.query(`LISTEN "${channel.replace(/"/g, '""')}"`);
    } catch (error) {
      next.end().catch(() => {});
      if (!isReconnect) throw error;
      schedule();
      return;
    }
    if (stopped) {
      await next.end().catch(() => {});
      return;
    }
    client = next;
    if (isReconnect) onReconnect?.();
  };
  const schedule = () => {
    if (stopped || retry) return;
    retry = setTimeout(() => {
      retry = null;
      void connect(true);
    }, 500);
    retry.unref();
  };
  await connect(false);
  return async () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    await client?.end().catch(() => {});
    client = null;
  };
}

async function openPglite(dataDir: string, logger: QueryLogger): Promise<DatabaseHandle> {
  const inMemory = dataDir.startsWith('memory://');
  const release = inMemory ? () => {} : lockDirectory(dataDir);
  let client: PGlite;
  try {
    client = new PGlite(inMemory ? dataDir : path.resolve(dataDir));
    await client.waitReady;
  } catch (error) {
    release();
    throw error;
  }
  const db = drizzlePglite({
    client,
    schema,
    ...(logger ? { logger } : {}),
  }) as unknown as Database;
  attachStatementDriver(db, pgliteStatementDriver(client, logger));
  let closed = false;
  return {
    db,
    kind: 'pglite',
    location: inMemory ? dataDir : path.resolve(dataDir),
    async migrate() {
      await migratePglite(db as never, { migrationsFolder: MIGRATIONS_FOLDER });
    },
    ping: () => ping(db),
    async listen(channel, onMessage) {
      const unlisten = await client.listen(channel, onMessage);
      return async () => {
        if (!closed) await unlisten();
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await client.close();
      } finally {
        release();
      }
    },
  };
}

async function ping(db: Database): Promise<boolean> {
  try {
    await db.execute(sql`select 1`);
    return true;
  } catch {
    return false;
  }
}

/**
 * PGlite has no lock of its own: two processes on one directory corrupt it. A lock file with
 * our pid keeps a second process out; a lock left by a process that no longer runs is taken over.
 */
export function lockDirectory(dataDir: string): () => void {
  const dir = path.resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  const lockPath = path.join(dir, 'followthrough.lock');
  for (let tries = 0; tries < 2; tries++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number.parseInt(readFileSync(lockPath, 'utf8'), 10);
      if (Number.isInteger(holder) && holder !== process.pid && isAlive(holder)) {
        throw new DatabaseLockedError(
          `The data directory ${dir} is in use by another Followthrough process (pid ${holder}). ` +
            'Stop that process first, or set FOLLOWTHROUGH_DATA_DIR to another directory. ' +
            'To run several processes on one database, use PostgreSQL (DATABASE_URL).',
        );
      }
      rmSync(lockPath, { force: true });
    }
  }
  throw new DatabaseLockedError(`Could not lock the data directory ${dir}.`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres';
  }
}
