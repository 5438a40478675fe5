/**
 * Shapes shared by every contract: ids, instants, lists with cursors, problems.
 */
import { z } from 'zod';

export const Id = z.uuid({ message: 'Not a valid id.' });
export const IdParams = z.strictObject({ id: Id });

/** An instant sent by a client: ISO 8601 with an offset (or Z). */
export const Instant = z.iso
  .datetime({
    offset: true,
    message: 'Give a date and time in ISO 8601 with an offset, e.g. 2026-03-02T15:30:00-05:00.',
  })
  // PostgreSQL has no year 0.
  .refine((v) => !v.startsWith('0000'), 'Give a year from 0001 on.');
/** An instant sent by the server (always UTC, Z). */
export const InstantOut = z.string().describe('ISO 8601 instant');

export const Limit = z.coerce
  .number({ message: 'Give a whole number.' })
  .int('Give a whole number.')
  .min(1, 'The smallest limit is 1.')
  .max(200, 'The largest limit is 200.')
  .default(50);

export const Cursor = z.string().max(512, 'This cursor is not one the server gave out.');

export function listOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    workspaces: z
      .array(z.object({ id: z.string(), name: z.string() }))
      .optional()
      .describe(
        '/problems/choose-workspace (sign-in): the workspaces the password opened; sign in again with one as workspaceId',
      ),
  })
  .describe('application/problem+json (RFC 9457)');

const STATUS_DESCRIPTIONS = {
  400: 'Invalid input: which field and why',
  401: 'Not signed in',
  403: 'Your role does not allow this',
  404: 'No such record in your workspace',
  409: 'Not allowed in the current status',
  422: 'Valid input that cannot be done',
  429: 'Too many requests',
} as const;

export type ErrorStatus = keyof typeof STATUS_DESCRIPTIONS;

/** Response schemas of the errors a route can answer, for OpenAPI. */
export function errors(...codes: ErrorStatus[]) {
  return Object.fromEntries(
    [400, 401, ...codes].map((code) => [
      code,
      ProblemSchema.describe(STATUS_DESCRIPTIONS[code as ErrorStatus]),
    ]),
  ) as Record<ErrorStatus, typeof ProblemSchema>;
}

export const Summary = z.object({ id: z.string(), name: z.string() });
