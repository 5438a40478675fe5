/**
 * Users of the workspace (SPEC §1, §9; admin): invite with a one-time password, change role,
 * deactivate and reactivate. The workspace always keeps at least one active admin.
 */
import { z } from 'zod';
import { Role } from './auth.contract.ts';
import { InstantOut } from './common.ts';

export const UserSchema = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  role: Role,
  active: z.boolean(),
  mustChangePassword: z
    .boolean()
    .describe('Has a one-time password (invited or reset) not yet changed at sign-in'),
  deactivatedAt: InstantOut.nullable(),
  createdAt: InstantOut,
});
export type User = z.infer<typeof UserSchema>;

export const CreatedUser = UserSchema.extend({
  oneTimePassword: z
    .string()
    .describe('The first password: shown in this response only; give it to the person'),
});
export type CreatedUser = z.infer<typeof CreatedUser>;

const Name = z
  .string({ message: 'Give the person’s name.' })
  .trim()
  .min(1, 'Give the person’s name.')
  .max(100, 'The name can be at most 100 characters.');

export const CreateUserBody = z.strictObject({
  name: Name,
  email: z
    .string({ message: 'Give an email address.' })
    .trim()
    .max(320, 'The email can be at most 320 characters.')
    .pipe(z.email({ message: 'Not a valid email address, e.g. maria@example.com.' })),
  role: Role,
});
export type CreateUser = z.infer<typeof CreateUserBody>;

export const PatchUserBody = z.strictObject({
  name: Name.optional(),
  role: Role.optional(),
  active: z.boolean().optional().describe('false deactivates: signs the user out everywhere'),
});
export type PatchUser = z.infer<typeof PatchUserBody>;
