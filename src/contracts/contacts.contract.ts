/**
 * Contacts (SPEC §1, §7.1): the people a workspace calls. The phone is stored in E.164 and is
 * unique in the workspace; `doNotCall` is derived from the workspace's Do Not Call list.
 */
import { z } from 'zod';
import { Cursor, InstantOut, Limit, Summary } from './common.ts';
import { TimeZoneName } from './settings.contract.ts';

const optionalText = (max: number, what: string) =>
  z
    .string({ message: `Give the ${what} as text.` })
    .trim()
    .max(max, `The ${what} can be at most ${max} characters.`)
    .nullable()
    .optional();

/** ISO 3166-2 subdivision: 'US-FL', 'CA-ON' (lower case is accepted and upper-cased). */
export const Region = z
  .string({ message: 'Give the region as text, e.g. US-FL.' })
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{2}-[A-Z0-9]{1,3}$/, 'Give an ISO 3166-2 region such as US-FL or CA-ON.')
  .describe('ISO 3166-2 subdivision where the contact is, e.g. US-FL');

export const CustomFieldValue = z.union([z.string().max(2000), z.number(), z.boolean(), z.null()]);

export const CustomFields = z
  .record(
    z.string().min(1, 'A custom field needs a name.').max(100, 'Field names are ≤ 100 characters.'),
    CustomFieldValue,
  )
  .refine((fields) => Object.keys(fields).length <= 50, 'Give at most 50 custom fields.')
  .describe('Text, number, true/false or null values; at most 50 fields');

const contactFields = {
  firstName: optionalText(100, 'first name'),
  lastName: optionalText(100, 'last name'),
  phone: z
    .string({ message: 'Give a phone number.' })
    .trim()
    .min(1, 'Give a phone number.')
    .max(64, 'Not a valid phone number.')
    .describe('Any common format; stored as E.164 (national numbers use the workspace country)'),
  email: z.email('Not a valid email address.').max(320).nullable().optional(),
  company: optionalText(200, 'company'),
  timezone: TimeZoneName.nullable()
    .optional()
    .describe('IANA time zone; null = inferred from the phone, else the workspace zone'),
  region: Region.nullable().optional(),
  customFields: CustomFields.optional(),
};

export const CreateContactBody = z.strictObject(contactFields);
export type CreateContact = z.infer<typeof CreateContactBody>;

export const PatchContactBody = z.strictObject({
  ...contactFields,
  phone: contactFields.phone.optional(),
  archived: z.boolean().optional().describe('true archives the contact, false restores it'),
});
export type PatchContact = z.infer<typeof PatchContactBody>;

export const ContactListQuery = z.strictObject({
  q: z
    .string()
    .trim()
    .max(200, 'Search with at most 200 characters.')
    .optional()
    .describe('Part of the name, email or phone number (digits)'),
  archived: z
    .stringbool({ error: 'Give true or false.' })
    .optional()
    .describe('true also lists archived contacts'),
  limit: Limit,
  cursor: Cursor.optional(),
});

export const ContactCallLogsQuery = z.strictObject({ limit: Limit, cursor: Cursor.optional() });

export const ContactSchema = z.object({
  id: z.string(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  name: z.string().describe('The name, else the phone, else the id'),
  phone: z.string().describe('E.164'),
  email: z.string().nullable(),
  company: z.string().nullable(),
  timezone: z.string().nullable().describe('As set on the contact'),
  timezoneResolved: z
    .object({ timezone: z.string(), source: z.enum(['contact', 'phone', 'workspace']) })
    .describe('The zone used for calling windows, and where it comes from'),
  region: z.string().nullable().describe('ISO 3166-2, as set on the contact'),
  phoneRegion: z
    .object({
      areaCode: z.string(),
      region: z.string().nullable(),
      timezone: z.string().nullable(),
    })
    .nullable()
    .describe('Where the phone’s North American area code is; state rules apply for both regions'),
  customFields: z.record(z.string(), CustomFieldValue),
  doNotCall: z.boolean().describe("The phone is on the workspace's Do Not Call list"),
  dncEntryId: z
    .string()
    .nullable()
    .describe('The Do Not Call entry of the phone (DELETE /api/dnc/:id removes it), or null'),
  archivedAt: InstantOut.nullable(),
  createdAt: InstantOut,
  updatedAt: InstantOut,
});
export type Contact = z.infer<typeof ContactSchema>;

export const ContactDetailSchema = ContactSchema.extend({
  stats: z.object({
    lastCallAt: InstantOut.nullable(),
    talkTimeSeconds: z.number().int().describe('Sum of the durations of all their calls'),
    recentCampaign: Summary.nullable().describe('The campaign of their latest campaign call'),
  }),
});
export type ContactDetail = z.infer<typeof ContactDetailSchema>;
