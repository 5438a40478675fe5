/** What every command that touches the database shares: configuration, opening, stopping. */
import { type Config, ConfigError, loadConfig } from '../config.ts';
import { type DatabaseHandle, DatabaseLockedError, openDatabase } from '../db/client.ts';
import { loadSecretKey } from '../secret-box.ts';

export function readConfig(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
}

export async function open(config: Config): Promise<DatabaseHandle> {
  try {
    return await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  } catch (error) {
    if (error instanceof DatabaseLockedError) fail(error.message);
    fail(`Could not open the database: ${(error as Error).message}`);
  }
}

export function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

export function onShutdown(close: () => Promise<void>): void {
  let closing = false;
  const handler = (signal: string) => {
    if (closing) return;
    closing = true;
    console.error(`\n${signal} received: shutting down…`);
    close().then(
      () => process.exit(0),
      (error) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
}

/** The key for the workspaces' credentials (see secret-box.ts); null on PostgreSQL without one. */
export function secretKeyOf(config: Config, handle: DatabaseHandle): Buffer | null {
  try {
    return loadSecretKey({
      secretKey: config.secretKey,
      embedded: handle.kind === 'pglite',
      dataDir: config.dataDir,
    });
  } catch (error) {
    fail(`Could not read or create the secret key: ${(error as Error).message}`);
  }
}
