import { z } from 'zod';
import { ROLES } from '../core/roles.ts';

export const Role = z.enum(ROLES);

export const LoginBody = z.strictObject({
  email: z.string().trim().min(1, 'Enter your email.').max(320),
  password: z.string().min(1, 'Enter your password.').max(1024),
  workspaceId: z
    .string()
    .max(100)
    .optional()
    .describe(
      'Only when the email and password open accounts in several workspaces (a 409 choose-workspace lists them)',
    ),
});

export const MeResponse = z.object({
  kind: z.enum(['user', 'api_key']),
  user: z
    .object({
      id: z.string(),
      email: z.string(),
      name: z.string(),
      role: Role,
      mustChangePassword: z
        .boolean()
        .describe(
          'Signed in with a one-time password: every other route answers 403 until changed',
        ),
    })
    .nullable(),
  apiKey: z.object({ id: z.string(), name: z.string(), role: Role }).nullable(),
  workspace: z.object({ id: z.string(), name: z.string(), timezone: z.string() }),
});

/** The origin a return path is resolved against: only a path that stays on it is kept. */
const THIS_APP = 'http://this-app.invalid';

/**
 * Where to go back to after signing in (`/login?redirect=…`, `/password?redirect=…`): a path of
 * this app, with its search and hash. Anything that would leave the app — another site, a
 * protocol-relative `//host`, `/\\host`, control characters a browser strips — is refused, and so
 * are the sign-in screens themselves. The path is given back as the URL parser reads it, so what
 * was checked is where the browser goes.
 */
export const ReturnPath = z
  .string()
  .max(2000, 'The return path can be at most 2,000 characters.')
  .transform((value, ctx) => {
    let url: URL | undefined;
    if (value.startsWith('/')) {
      try {
        url = new URL(value, THIS_APP);
      } catch {
        url = undefined;
      }
    }
    if (!url || url.origin !== THIS_APP) {
      ctx.addIssue({ code: 'custom', message: 'Give a path of this app, starting with /.' });
      return z.NEVER;
    }
    if (/^\/(login|password)(\/|$)/.test(url.pathname)) {
      ctx.addIssue({ code: 'custom', message: 'The sign-in screens are no place to return to.' });
      return z.NEVER;
    }
    return `${url.pathname}${url.search}${url.hash}`;
  });

/** Checked again by the server, which also refuses the most common passwords. */
export const MIN_PASSWORD_LENGTH = 10;

export const ChangePasswordBody = z.strictObject({
  currentPassword: z
    .string({ message: 'Enter your current password.' })
    .min(1, 'Enter your current password.')
    .max(1024),
  newPassword: z
    .string({ message: 'Enter a new password.' })
    .min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters.`)
    .max(1024, 'The password can be at most 1,024 characters.'),
});
export type ChangePassword = z.infer<typeof ChangePasswordBody>;

export const ApiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  role: Role,
  prefix: z.string().describe('The first characters of the key, to tell keys apart'),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  createdAt: z.string(),
});

export const CreateApiKeyBody = z.strictObject({
  name: z.string().trim().min(1, 'Give the key a name.').max(100),
  role: Role,
});

export const CreatedApiKey = ApiKeySchema.extend({
  key: z.string().describe('The secret: shown in this response only'),
});
