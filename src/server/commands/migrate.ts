/** `followthrough migrate`: apply the database migrations and exit. */
import { open, readConfig } from './shared.ts';

export async function migrate(): Promise<void> {
  const config = readConfig();
  const handle = await open(config);
  try {
    await handle.migrate();
    console.log(`Migrations applied to ${handle.location}.`);
  } finally {
    await handle.close();
  }
}
