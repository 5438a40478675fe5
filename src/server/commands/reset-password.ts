/** `followthrough reset-password EMAIL`: a new one-time password, for an admin locked out. */
import { systemClock } from '../clock.ts';
import { accountsByEmail, resetPasswordOf } from '../services/users.service.ts';
import { fail, open, readConfig } from './shared.ts';

export async function resetPassword(email: string, opts: { workspace?: string }): Promise<void> {
  const config = readConfig();
  const handle = await open(config);
  try {
    await handle.migrate();
    const ctx = { db: handle.db, clock: systemClock };
    const accounts = await accountsByEmail(ctx, email);
    if (accounts.length === 0) fail(`No user signs in with ${email}.`);
    // One person may have an account in several workspaces, each with its own password.
    const chosen = opts.workspace
      ? accounts.filter((a) => a.workspaceId === opts.workspace || a.workspace === opts.workspace)
      : accounts;
    if (chosen.length === 0) fail(`${email} has no account in the workspace ${opts.workspace}.`);
    if (chosen.length > 1) {
      fail(
        `${email} has an account in ${chosen.length} workspaces: say which with --workspace ` +
          `(its id or name):\n${chosen.map((a) => `  ${a.workspaceId}  ${a.workspace}`).join('\n')}`,
      );
    }
    const account = chosen[0]!;
    const reset = await resetPasswordOf(ctx, account.workspaceId, account.id);
    if (!reset) fail(`No user signs in with ${email}.`);
    console.log(
      `New one-time password for ${reset.email}: ${reset.oneTimePassword}\n` +
        `Workspace: ${account.workspace}\n` +
        'It is shown only this once; they choose a password of their own when they sign in.' +
        (reset.active ? '' : '\nThis user is deactivated: reactivate them to let them sign in.'),
    );
  } finally {
    await handle.close();
  }
}
