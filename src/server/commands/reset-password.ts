/** `followthrough reset-password EMAIL`: a new one-time password, for an admin locked out. */
import { systemClock } from '../clock.ts';
import { resetPasswordByEmail } from '../services/users.service.ts';
import { fail, open, readConfig } from './shared.ts';

export async function resetPassword(email: string): Promise<void> {
  const config = readConfig();
  const handle = await open(config);
  try {
    await handle.migrate();
    const reset = await resetPasswordByEmail({ db: handle.db, clock: systemClock }, email);
    if (!reset) fail(`No user signs in with ${email}.`);
    console.log(
      `New one-time password for ${reset.email}: ${reset.oneTimePassword}\n` +
        'It is shown only this once; they choose a password of their own when they sign in.' +
        (reset.active ? '' : '\nThis user is deactivated: reactivate them to let them sign in.'),
    );
  } finally {
    await handle.close();
  }
}
