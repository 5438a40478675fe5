/**
 * The integration suite runs on PGlite always and again on PostgreSQL when TEST_DATABASE_URL
 * is set. With REQUIRE_POSTGRES=1 a missing PostgreSQL is a failure, not a skip.
 */
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
