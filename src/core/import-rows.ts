/**
 * CSV rows → records to import, or the reason a row cannot be imported, worded for the person
 * who made the file ("Line 17: phone "555-12" is not a valid phone number."). Pure.
 */
import { z } from 'zod';
import { areaCodeOf } from './area-codes.ts';
import { CUSTOM_PREFIX, type ImportKind, type ImportMapping } from './import-mapping.ts';
import { isValidTimeZone, normalizePhone, resolveTimeZone } from './time-zone.ts';

const REGION_RE = /^[A-Z]{2}-[A-Z0-9]{1,3}$/;

export interface ContactRecord {
  phone: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  company: string | null;
  timezone: string | null;
  /** ISO 3166-2 ('US-FL'); a bare US state or Canadian province code is read with its country. */
  region: string | null;
  /** Only the custom fields with a value in this row. */
  customFields: Record<string, string>;
}

export interface DncRecord {
  phone: string;
  reason: string | null;
}

export type RowResult<R> = { ok: true; record: R } | { ok: false; reason: string; phone: boolean };

/** Column positions of each mapped field, resolved once per file. */
export interface ColumnPlan {
  kind: ImportKind;
  fields: { index: number; field: string }[];
  /** Country for national numbers (no +): the workspace time zone's. */
  defaultCountry: string | undefined;
}

export function planColumns(
  headers: readonly string[],
  mapping: ImportMapping,
  kind: ImportKind,
  defaultCountry: string | undefined,
): ColumnPlan {
  const fields = Object.entries(mapping)
    .map(([column, field]) => ({ index: headers.indexOf(column), field }))
    .filter((f) => f.index >= 0);
  return { kind, fields, defaultCountry };
}

const LIMITS: Record<string, number> = {
  firstName: 100,
  lastName: 100,
  company: 200,
  email: 320,
  reason: 500,
};
const LABELS: Record<string, string> = {
  firstName: 'first name',
  lastName: 'last name',
  company: 'company',
  email: 'email',
  reason: 'reason',
  phone: 'phone',
  timezone: 'time zone',
};
const Email = z.email();
/** NUL and the other control characters; tab and line breaks (inside quotes) are text. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are what it finds
const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const CUSTOM_VALUE_MAX = 2000;

const quoted = (text: string) => `"${text.length > 40 ? `${text.slice(0, 40)}…` : text}"`;

/** One CSV row (its cells) → a contact or Do Not Call record, or why not. */
export function validateRow(
  cells: readonly string[],
  plan: ColumnPlan,
): RowResult<ContactRecord | DncRecord> {
  const values: Record<string, string | null> = {};
  const customFields: Record<string, string> = {};
  for (const { index, field } of plan.fields) {
    const value = (cells[index] ?? '').trim();
    const control = CONTROL_CHARACTER.exec(value);
    if (control) {
      const code = control[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
      const name = field.startsWith(CUSTOM_PREFIX)
        ? `custom field "${field.slice(CUSTOM_PREFIX.length)}"`
        : (LABELS[field] ?? field);
      return fail(
        `the ${name} has a control character (U+${code}) that text cannot hold: remove it`,
        field === 'phone',
      );
    }
    if (field.startsWith(CUSTOM_PREFIX)) {
      if (value.length > CUSTOM_VALUE_MAX) {
        const key = field.slice(CUSTOM_PREFIX.length);
        return fail(`custom field "${key}" is longer than ${CUSTOM_VALUE_MAX} characters`);
      }
      if (value) customFields[field.slice(CUSTOM_PREFIX.length)] = value;
    } else {
      values[field] = value === '' ? null : value;
    }
  }
  const raw = values.phone;
  if (!raw) return fail('no phone number', true);
  const phone = normalizePhone(raw, plan.defaultCountry);
  if (!phone) return fail(`phone ${quoted(raw)} is not a valid phone number`, true);
  for (const [field, max] of Object.entries(LIMITS)) {
    const value = values[field];
    if (value && value.length > max) {
      return fail(`the ${LABELS[field]} is longer than ${max} characters`);
    }
  }
  if (plan.kind === 'dnc') return { ok: true, record: { phone, reason: values.reason ?? null } };

  const email = values.email ?? null;
  if (email && !Email.safeParse(email).success) {
    return fail(`email ${quoted(email)} is not a valid email address`);
  }
  let timezone = values.timezone ?? null;
  if (timezone) {
    if (!isValidTimeZone(timezone)) {
      return fail(`time zone ${quoted(timezone)} is not an IANA time zone (e.g. America/New_York)`);
    }
    timezone = resolveTimeZone({
      contactTimezone: timezone,
      phone: null,
      workspaceTimezone: timezone,
    }).timezone;
  }
  let region = values.region?.trim().toUpperCase() || null;
  if (region) {
    if (/^[A-Z]{2}$/.test(region) && phone.startsWith('+1')) {
      region = `${areaCodeOf(phone)?.region?.slice(0, 2) ?? 'US'}-${region}`;
    }
    if (!REGION_RE.test(region)) {
      return fail(`region ${quoted(values.region!)} is not an ISO 3166-2 region (e.g. US-FL)`);
    }
  }
  return {
    ok: true,
    record: {
      phone,
      firstName: values.firstName ?? null,
      lastName: values.lastName ?? null,
      email,
      company: values.company ?? null,
      timezone,
      region,
      customFields,
    },
  };
}

function fail(reason: string, phone = false): { ok: false; reason: string; phone: boolean } {
  return { ok: false, reason, phone };
}

/** "Line 17: phone "555-12" is not a valid phone number." */
export function lineProblem(line: number, reason: string): { line: number; reason: string } {
  return { line, reason: `Line ${line}: ${reason}.` };
}

/** Remembers the first line of each phone: later lines with the same phone are duplicates. */
export class DuplicateTracker {
  readonly #first = new Map<string, number>();

  /** The line that had this phone first, or null (and remembers this line). */
  seen(phone: string, line: number): number | null {
    const first = this.#first.get(phone);
    if (first !== undefined) return first;
    this.#first.set(phone, line);
    return null;
  }
}

export const duplicateReason = (phone: string, firstLine: number) =>
  `duplicate of line ${firstLine} in this file (${phone})`;
