/**
 * Contacts: search and list, one contact with the tiles of its page (SPEC §7.1), create and
 * edit. Phones are stored in E.164 and unique in the workspace; `doNotCall` is derived from
 * the workspace's Do Not Call list.
 */

import type {
  Contact,
  ContactDetail,
  CreateContact,
  PatchContact,
} from '../../contracts/contacts.contract.ts';
import { areaCodeOf } from '../../core/area-codes.ts';
import { contactDisplayName } from '../../core/contact.ts';
import {
  canonicalZone,
  normalizePhone,
  resolveTimeZone,
  workspaceCountry,
} from '../../core/time-zone.ts';
import { isUniqueViolation } from '../db/errors.ts';
import {
  type ContactChanges,
  type ContactRow,
  contactCallStats,
  contactExists,
  findContactIdByPhone,
  findContactRow,
  insertContact,
  listContactRows,
  updateContactRow,
} from '../db/repositories/contacts.ts';
import { findWorkspaceZone } from '../db/repositories/workspaces.ts';
import { conflict, invalid, notFound, type ProblemError } from '../errors.ts';
import { newId } from '../ids.ts';
import { listCallLogs } from './call-logs.service.ts';
import type { Actor, ServiceContext } from './context.ts';
import { decodeCursor, page } from './cursor.ts';

async function workspaceZone(ctx: ServiceContext, actor: Actor): Promise<string> {
  const zone = await findWorkspaceZone(ctx.db, actor.workspaceId);
  if (zone === undefined) throw notFound('workspace');
  return zone;
}

function normalizeOrThrow(raw: string, zone: string): string {
  const country = workspaceCountry(zone);
  const phone = normalizePhone(raw, country);
  if (phone) return phone;
  throw invalid(`"${raw}" is not a valid phone number.`, [
    {
      path: 'phone',
      message:
        'Not a valid phone number. Give it in international format (e.g. +44 20 7946 0018), ' +
        `or as a national number of ${country}.`,
    },
  ]);
}

const blankToNull = (value: string | null | undefined) =>
  value === undefined ? undefined : value === null || value === '' ? null : value;

const phoneOwner = (ctx: ServiceContext, actor: Actor, phone: string, except?: string) =>
  findContactIdByPhone(ctx.db, actor.workspaceId, phone, except);

function duplicatePhone(phone: string, ownerId: string | null): ProblemError {
  const who = ownerId ? `contact ${ownerId}` : 'another contact';
  return conflict(`The phone number ${phone} already belongs to ${who}.`, [
    { path: 'phone', message: `This phone number already belongs to ${who}.` },
  ]);
}

// Reading.

function contactView(
  row: ContactRow,
  dncEntryId: string | null,
  workspaceTimezone: string,
): Contact {
  return {
    id: row.id,
    firstName: row.firstName,
    lastName: row.lastName,
    name: contactDisplayName(row),
    phone: row.phone,
    email: row.email,
    company: row.company,
    timezone: row.timezone,
    timezoneResolved: resolveTimeZone({
      contactTimezone: row.timezone,
      phone: row.phone,
      workspaceTimezone,
    }),
    region: row.region,
    phoneRegion: phoneRegion(row.phone),
    customFields: (row.customFields ?? {}) as Contact['customFields'],
    doNotCall: dncEntryId !== null,
    dncEntryId,
    archivedAt: row.archivedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function phoneRegion(phone: string): Contact['phoneRegion'] {
  const info = areaCodeOf(phone);
  return info ? { areaCode: info.areaCode, region: info.region, timezone: info.zone } : null;
}

/**
 * Contacts newest first (createdAt DESC, id DESC: a backward scan of contacts_list_idx).
 * Archived contacts are left out unless `archived` is true.
 */
export async function listContacts(
  ctx: ServiceContext,
  actor: Actor,
  query: { q?: string | undefined; archived?: boolean | undefined; limit: number; cursor?: string },
) {
  const zone = await workspaceZone(ctx, actor);
  const after = query.cursor ? decodeCursor(query.cursor, ['instant', 'uuid'] as const) : undefined;
  const rows = await listContactRows(
    ctx.db,
    actor.workspaceId,
    { q: query.q, archived: query.archived, limit: query.limit + 1 },
    after,
  );
  const result = page(rows, query.limit, (row) => [row.key, row.contact.id]);
  return {
    items: result.items.map((row) => contactView(row.contact, row.dnc?.id ?? null, zone)),
    nextCursor: result.nextCursor,
  };
}

async function contactStats(ctx: ServiceContext, actor: Actor, contactId: string) {
  const stats = await contactCallStats(ctx.db, actor.workspaceId, contactId);
  return { ...stats, lastCallAt: stats.lastCallAt?.toISOString() ?? null };
}

/** One contact with its tiles: last call, talk time, recent campaign. */
export async function getContact(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
): Promise<ContactDetail> {
  const zone = await workspaceZone(ctx, actor);
  const row = await findContactRow(ctx.db, actor.workspaceId, id);
  if (!row) throw notFound('contact');
  const stats = await contactStats(ctx, actor, id);
  return { ...contactView(row.contact, row.dnc?.id ?? null, zone), stats };
}

/** The contact's calls, newest first. */
export async function listContactCallLogs(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
  query: { limit: number; cursor?: string | undefined },
) {
  await assertContactExists(ctx, actor, id);
  return listCallLogs(ctx, actor, { ...query, contactId: id });
}

async function assertContactExists(ctx: ServiceContext, actor: Actor, id: string) {
  if (!(await contactExists(ctx.db, actor.workspaceId, id))) throw notFound('contact');
}

// Writing.

export async function createContact(
  ctx: ServiceContext,
  actor: Actor,
  input: CreateContact,
): Promise<ContactDetail> {
  const zone = await workspaceZone(ctx, actor);
  const phone = normalizeOrThrow(input.phone, zone);
  const owner = await phoneOwner(ctx, actor, phone);
  if (owner) throw duplicatePhone(phone, owner);
  const id = newId();
  const now = ctx.clock.now();
  try {
    await insertContact(ctx.db, {
      id,
      workspaceId: actor.workspaceId,
      firstName: blankToNull(input.firstName) ?? null,
      lastName: blankToNull(input.lastName) ?? null,
      phone,
      email: input.email ?? null,
      company: blankToNull(input.company) ?? null,
      timezone: input.timezone ? canonicalZone(input.timezone) : null,
      region: input.region ?? null,
      customFields: input.customFields ?? {},
      createdAt: now,
      updatedAt: now,
    });
  } catch (error) {
    // Someone else saved the same phone between the check and the insert.
    if (isUniqueViolation(error, 'contacts_phone_unique')) {
      throw duplicatePhone(phone, await phoneOwner(ctx, actor, phone));
    }
    throw error;
  }
  return getContact(ctx, actor, id);
}

/** Changes the given fields only; `archived` archives (keeping the first time) or restores. */
export async function updateContact(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
  input: PatchContact,
): Promise<ContactDetail> {
  const zone = await workspaceZone(ctx, actor);
  await assertContactExists(ctx, actor, id);
  const now = ctx.clock.now();
  const phone = input.phone === undefined ? undefined : normalizeOrThrow(input.phone, zone);
  if (phone) {
    const owner = await phoneOwner(ctx, actor, phone, id);
    if (owner) throw duplicatePhone(phone, owner);
  }
  const set: ContactChanges = { updatedAt: now, phone };
  if (input.firstName !== undefined) set.firstName = blankToNull(input.firstName);
  if (input.lastName !== undefined) set.lastName = blankToNull(input.lastName);
  if (input.email !== undefined) set.email = input.email;
  if (input.company !== undefined) set.company = blankToNull(input.company);
  if (input.timezone !== undefined) {
    set.timezone = input.timezone ? canonicalZone(input.timezone) : null;
  }
  if (input.region !== undefined) set.region = input.region;
  if (input.customFields !== undefined) set.customFields = input.customFields;
  if (input.archived !== undefined) {
    set.archivedAt = input.archived ? now : null;
  }
  try {
    await updateContactRow(ctx.db, actor.workspaceId, id, set);
  } catch (error) {
    if (phone && isUniqueViolation(error, 'contacts_phone_unique')) {
      throw duplicatePhone(phone, await phoneOwner(ctx, actor, phone, id));
    }
    throw error;
  }
  return getContact(ctx, actor, id);
}
