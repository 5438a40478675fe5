/**
 * The workspace's Do Not Call list (SPEC §1, §5.1, §8).
 */
import { z } from 'zod';
import { Cursor, InstantOut, Limit, Summary } from './common.ts';

export const DncEntrySchema = z.object({
  id: z.string(),
  phone: z.string().describe('E.164'),
  reason: z.string().nullable(),
  contact: Summary.nullable().describe('The workspace’s contact with this phone, if any'),
  createdAt: InstantOut,
});
export type DncEntry = z.infer<typeof DncEntrySchema>;

export const ListDncQuery = z.strictObject({
  q: z
    .string()
    .trim()
    .max(100, 'Search with at most 100 characters.')
    .optional()
    .describe('Digits of the phone number, or part of the contact’s name'),
  limit: Limit,
  cursor: Cursor.optional(),
});
export type ListDncQuery = z.infer<typeof ListDncQuery>;

export const AddDncBody = z.strictObject({
  phone: z
    .string()
    .trim()
    .min(1, 'Enter a phone number.')
    .max(64, 'A phone number has at most 64 characters.')
    .describe('Any usual format; national numbers use the country of the workspace’s time zone'),
  reason: z
    .string()
    .trim()
    .max(500, 'The reason can be at most 500 characters.')
    .nullable()
    .optional()
    .transform((v) => (v ? v : null)),
});
export type AddDncBody = z.infer<typeof AddDncBody>;

export const AddedDncEntrySchema = DncEntrySchema.extend({
  failedFollowUps: z
    .number()
    .int()
    .describe('Open call and SMS follow-ups of the contact that were failed by this listing'),
});
export type AddedDncEntry = z.infer<typeof AddedDncEntrySchema>;
