/** `followthrough seed`: the demo workspace, or volume for benchmarks. */
import { systemClock } from '../clock.ts';
import { seedDemo } from '../demo/demo.ts';
import { seedVolume } from '../demo/volume.ts';
import { generatePassword } from '../passwords.ts';
import { progressBar } from '../progress.ts';
import { open, readConfig } from './shared.ts';

export interface SeedOptions {
  seed: number;
  workspace: string;
  contacts?: number;
  followUps?: number;
  agents: number;
  campaigns: number;
}

export async function seed(opts: SeedOptions): Promise<void> {
  const config = readConfig();
  const handle = await open(config);
  try {
    await handle.migrate();
    if (opts.contacts === undefined && opts.followUps === undefined) {
      const password = config.adminPassword ?? generatePassword();
      const result = await seedDemo(handle.db, {
        seed: opts.seed,
        now: systemClock.now(),
        adminEmail: config.adminEmail,
        adminPassword: password,
      });
      console.log(
        result.created
          ? `Loaded the demo workspace "Demo Co". Sign in as ${result.adminEmail}` +
              (config.adminPassword ? ' with FOLLOWTHROUGH_ADMIN_PASSWORD' : ` / ${password}`)
          : 'The demo workspace "Demo Co" is already there; nothing changed.',
      );
      return;
    }
    const followUps = opts.followUps ?? 0;
    const contacts = opts.contacts ?? Math.max(1, Math.ceil(followUps / 10));
    const bar = progressBar();
    const result = await seedVolume(handle.db, {
      workspace: opts.workspace,
      contacts,
      followUps,
      agents: opts.agents,
      campaigns: opts.campaigns,
      seed: opts.seed,
      now: systemClock.now(),
      onProgress: bar.update,
    });
    bar.stop();
    console.log(
      `Loaded ${result.contacts.toLocaleString('en-US')} contacts and ` +
        `${result.followUps.toLocaleString('en-US')} follow-ups into "${opts.workspace}" ` +
        `in ${result.seconds.toFixed(1)} s.`,
    );
  } finally {
    await handle.close();
  }
}
