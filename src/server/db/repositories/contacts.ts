/**
 * The contacts table: the queries the contacts service needs, without rules. Every query is
 * scoped to the workspace; a read returns undefined when the workspace has no such contact,
 * and the service decides what that means (usually a 404). Each contact comes with the id of
 * the Do Not Call entry of its phone, if there is one.
 */
import {
  and,
  desc,
  eq,
  ilike,
  inArray,
  isNotNull,
  isNull,
  like,
  max,
  ne,
  or,
  type SQL,
  sql,
} from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { DbOrTx, Tx } from '../client.ts';
import { afterKeyDescDesc, instantKey } from '../keyset.ts';
import { callLogs, campaigns, contacts, dncEntries } from '../schema.ts';

export type ContactRow = typeof contacts.$inferSelect;
export type NewContact = typeof contacts.$inferInsert;

/** A contact, its Do Not Call entry (if its phone is listed) and its sort key as cursor text. */
export interface ContactWithDnc {
  contact: ContactRow;
  dnc: { id: string } | null;
  key: string;
}

function selectContacts(db: DbOrTx) {
  return db
    .select({ contact: contacts, dnc: { id: dncEntries.id }, key: instantKey(contacts.createdAt) })
    .from(contacts)
    .leftJoin(
      dncEntries,
      and(eq(dncEntries.workspaceId, contacts.workspaceId), eq(dncEntries.phone, contacts.phone)),
    );
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Part of the first, last or full name or the email (any case); digits of the phone. */
function searchCondition(q: string): SQL | undefined {
  const pattern = `%${escapeLike(q)}%`;
  const fullName = sql`(coalesce(${contacts.firstName}, '') || ' ' || coalesce(${contacts.lastName}, ''))`;
  const digits = q.replace(/\D/g, '');
  return or(
    ilike(contacts.firstName, pattern),
    ilike(contacts.lastName, pattern),
    sql`${fullName} ilike ${pattern}`,
    ilike(contacts.email, pattern),
    // '555 0100', '(212) 555-0100', '+1 212…': only text that looks like a phone number.
    digits && /^[\d\s()+.-]+$/.test(q) ? like(contacts.phone, `%${digits}%`) : undefined,
  );
}

/**
 * Contacts newest first (createdAt DESC, id DESC: a backward scan of contacts_list_idx), after
 * the key [createdAt, id] when given; `limit` rows at most. Archived contacts are left out
 * unless `archived` is true.
 */
export async function listContactRows(
  db: DbOrTx,
  workspaceId: string,
  query: { q?: string | undefined; archived?: boolean | undefined; limit: number },
  after?: readonly [at: string, id: string],
): Promise<ContactWithDnc[]> {
  return selectContacts(db)
    .where(
      and(
        eq(contacts.workspaceId, workspaceId),
        query.archived ? undefined : isNull(contacts.archivedAt),
        query.q ? searchCondition(query.q) : undefined,
        after ? afterKeyDescDesc(contacts.createdAt, contacts.id, after[0], after[1]) : undefined,
      ),
    )
    .orderBy(desc(contacts.createdAt), desc(contacts.id))
    .limit(query.limit);
}

export async function findContactRow(
  db: DbOrTx,
  workspaceId: string,
  id: string,
): Promise<ContactWithDnc | undefined> {
  const [row] = await selectContacts(db).where(
    and(eq(contacts.workspaceId, workspaceId), eq(contacts.id, id)),
  );
  return row;
}

export async function contactExists(db: DbOrTx, workspaceId: string, id: string): Promise<boolean> {
  const [row] = await db
    .select({ id: contacts.id })
    .from(contacts)
    .where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.id, id)));
  return row !== undefined;
}

/** The contact of the workspace with this phone (E.164), other than `exceptId`; null: none. */
export async function findContactIdByPhone(
  db: DbOrTx,
  workspaceId: string,
  phone: string,
  exceptId?: string,
): Promise<string | null> {
  const [row] = await db
    .select({ id: contacts.id })
    .from(contacts)
    .where(
      and(
        eq(contacts.workspaceId, workspaceId),
        eq(contacts.phone, phone),
        exceptId ? ne(contacts.id, exceptId) : undefined,
      ),
    )
    .limit(1);
  return row?.id ?? null;
}

/** The contact's calls in sum: the last one, the talk time, the latest campaign called for. */
export async function contactCallStats(db: DbOrTx, workspaceId: string, contactId: string) {
  const ofContact = and(eq(callLogs.workspaceId, workspaceId), eq(callLogs.contactId, contactId));
  const [totals] = await db
    .select({
      lastCallAt: max(callLogs.startedAt),
      talkTimeSeconds: sql<number>`coalesce(sum(${callLogs.durationSeconds}), 0)::int`.mapWith(
        Number,
      ),
    })
    .from(callLogs)
    .where(ofContact);
  const [recent] = await db
    .select({ id: campaigns.id, name: campaigns.name })
    .from(callLogs)
    .innerJoin(
      campaigns,
      and(eq(campaigns.workspaceId, callLogs.workspaceId), eq(campaigns.id, callLogs.campaignId)),
    )
    .where(and(ofContact, isNotNull(callLogs.campaignId)))
    .orderBy(desc(callLogs.startedAt))
    .limit(1);
  return {
    lastCallAt: totals?.lastCallAt ? new Date(totals.lastCallAt) : null,
    talkTimeSeconds: totals?.talkTimeSeconds ?? 0,
    recentCampaign: recent ?? null,
  };
}

export async function insertContact(db: DbOrTx, contact: NewContact): Promise<void> {
  await db.insert(contacts).values(contact);
}

/** The fields to change; `archivedAt` keeps the first time a contact was archived. */
export type ContactChanges = Omit<PgUpdateSetSource<typeof contacts>, 'archivedAt'> & {
  /** A date archives (unless archived already); null restores. */
  archivedAt?: Date | null;
};

export async function updateContactRow(
  db: DbOrTx,
  workspaceId: string,
  id: string,
  changes: ContactChanges,
): Promise<void> {
  const { archivedAt, ...rest } = changes;
  const set: PgUpdateSetSource<typeof contacts> = { ...rest };
  if (archivedAt !== undefined) {
    set.archivedAt = archivedAt
      ? sql`coalesce(${contacts.archivedAt}, ${archivedAt.toISOString()}::timestamptz)`
      : null;
  }
  await db
    .update(contacts)
    .set(set)
    .where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.id, id)));
}

/** Where the contact may be called: its own time zone and region, and its phone. */
export async function findContactPlace(
  db: DbOrTx,
  workspaceId: string,
  id: string,
): Promise<{ timezone: string | null; phone: string; region: string | null } | undefined> {
  const [row] = await db
    .select({ timezone: contacts.timezone, phone: contacts.phone, region: contacts.region })
    .from(contacts)
    .where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.id, id)));
  return row;
}

/** The contact's phone when it is on the workspace's Do Not Call list; undefined when not. */
export async function findContactPhoneOnDnc(
  db: DbOrTx,
  workspaceId: string,
  id: string,
): Promise<string | undefined> {
  const [row] = await db
    .select({ phone: contacts.phone })
    .from(contacts)
    .innerJoin(
      dncEntries,
      and(eq(dncEntries.workspaceId, contacts.workspaceId), eq(dncEntries.phone, contacts.phone)),
    )
    .where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.id, id)));
  return row?.phone;
}

/**
 * A contact of the workspace with one of these phones (E.164), its row locked until the
 * transaction ends; undefined when none has.
 */
export async function findContactByPhonesForUpdate(
  tx: Tx,
  workspaceId: string,
  phones: readonly string[],
): Promise<{ id: string; phone: string } | undefined> {
  const [row] = await tx
    .select({ id: contacts.id, phone: contacts.phone })
    .from(contacts)
    .where(and(eq(contacts.workspaceId, workspaceId), inArray(contacts.phone, [...phones])))
    .limit(1)
    .for('update');
  return row;
}

/**
 * Takes the contact's lock for the outcome rules until the transaction ends (a transaction-scoped
 * advisory lock): two reports of calls with the same contact apply their rules one at a time.
 */
export async function lockContactForOutcomeRules(tx: Tx, contactId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(7419300, hashtext(${contactId}))`);
}
