/**
 * The integration suite runs on PGlite always and again on PostgreSQL when TEST_DATABASE_URL
 * is set. With REQUIRE_POSTGRES=1 a missing PostgreSQL is a failure, not a skip.
 */
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../../src/server/db/client.ts';

export interface TestDatabase {
  name: 'pglite' | 'postgres';
  open(): Promise<DatabaseHandle>;
}

export function testDatabases(): TestDatabase[] {
  const list: TestDatabase[] = [
    {
      name: 'pglite',
      open: () => openDatabase({ dataDir: 'memory://' }),
    },
  ];
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    list.push({ name: 'postgres', open: () => openDatabase({ databaseUrl: url, dataDir: '' }) });
  } else if (process.env.REQUIRE_POSTGRES === '1') {
    throw new Error(
      'REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set: PostgreSQL tests cannot run.',
    );
  }
  return list;
}

/** Opens and migrates the database once for the enclosing describe block. */
export function useDatabase(target: TestDatabase): { readonly handle: DatabaseHandle } {
  const state: { handle?: DatabaseHandle } = {};
  beforeAll(async () => {
    state.handle = await target.open();
    await state.handle.migrate();
  });
  afterAll(async () => {
    await state.handle?.close();
  });
  return {
    get handle() {
      if (!state.handle) throw new Error('database not open yet');
      return state.handle;
    },
  };
}

/**
 * For tests whose engine claims due work of every workspace, or whose counts cover the whole
 * database: on PostgreSQL they work in a database of their own (created and dropped here), so that
 * other tests' and benchmarks' rows neither disturb it nor get run by it.
 */
export function useOwnDatabase(target: TestDatabase): { readonly handle: DatabaseHandle } {
  const url = process.env.TEST_DATABASE_URL;
  const name = `ft_test_${process.pid}_${Date.now().toString(36)}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  const state: { handle?: DatabaseHandle; own?: boolean } = {};
  beforeAll(async () => {
    if (target.name === 'postgres' && url) {
      await admin(`create database "${name}"`);
      state.own = true;
      const own = new URL(url);
      own.pathname = `/${name}`;
      state.handle = await openDatabase({ databaseUrl: own.toString(), dataDir: '' });
    } else {
      state.handle = await target.open();
    }
    await state.handle.migrate();
  });
  afterAll(async () => {
    await state.handle?.close();
    if (state.own) await admin(`drop database if exists "${name}" with (force)`);
  });
  return {
    get handle() {
      if (!state.handle) throw new Error('database not open yet');
      return state.handle;
    },
  };
}
