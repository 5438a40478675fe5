/**
 * The dnc_entries table: the workspace's Do Not Call list, without rules. Every query is scoped
 * to the workspace; a read returns undefined when the workspace has no such entry, and the
 * service decides what that means (usually a 404). Each entry comes with the workspace's
 * contact of its phone, if there is one.
 */
import { and, desc, eq, ilike, inArray, like, or, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { afterKeyDescDesc, instantKey } from '../keyset.ts';
import { contacts, dncEntries, followUps } from '../schema.ts';

export type DncEntryRow = typeof dncEntries.$inferSelect;
export type NewDncEntry = typeof dncEntries.$inferInsert;

/** An entry, the contact with its phone (nulls: none) and its sort key as cursor text. */
export interface DncEntryWithContact {
  d: DncEntryRow;
  contactId: string | null;
  firstName: string | null;
  lastName: string | null;
  key: string;
}

function selectEntries(db: DbOrTx) {
  return db
    .select({
      d: dncEntries,
      contactId: contacts.id,
      firstName: contacts.firstName,
      lastName: contacts.lastName,
      key: instantKey(dncEntries.createdAt),
    })
    .from(dncEntries)
    .leftJoin(
      contacts,
      and(eq(contacts.workspaceId, dncEntries.workspaceId), eq(contacts.phone, dncEntries.phone)),
    )
    .$dynamic();
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Entries newest first (createdAt DESC, id DESC), after the key [createdAt, id] when given;
 * `limit` rows at most. `q` matches the phone's digits or the contact's name (any case).
 */
export async function listDncEntryRows(
  db: DbOrTx,
  workspaceId: string,
  query: { q?: string | undefined; limit: number },
  after?: readonly [at: string, id: string],
): Promise<DncEntryWithContact[]> {
  const where: (SQL | undefined)[] = [eq(dncEntries.workspaceId, workspaceId)];
  if (query.q) {
    const digits = query.q.replace(/\D/g, '');
    const name = `%${escapeLike(query.q)}%`;
    where.push(
      or(
        digits ? like(dncEntries.phone, `%${digits}%`) : undefined,
        ilike(sql`concat_ws(' ', ${contacts.firstName}, ${contacts.lastName})`, name),
      ),
    );
  }
  if (after) where.push(afterKeyDescDesc(dncEntries.createdAt, dncEntries.id, after[0], after[1]));
  return selectEntries(db)
    .where(and(...where))
    .orderBy(desc(dncEntries.createdAt), desc(dncEntries.id))
    .limit(query.limit);
}

export async function findDncEntryRow(
  db: DbOrTx,
  workspaceId: string,
  id: string,
): Promise<DncEntryWithContact | undefined> {
  const [row] = await selectEntries(db).where(
    and(eq(dncEntries.workspaceId, workspaceId), eq(dncEntries.id, id)),
  );
  return row;
}

/** Lists the entry's phone; returns its id, or undefined when the phone was listed already. */
export async function insertDncEntry(db: DbOrTx, entry: NewDncEntry): Promise<string | undefined> {
  const [row] = await db
    .insert(dncEntries)
    .values(entry)
    .onConflictDoNothing({ target: [dncEntries.workspaceId, dncEntries.phone] })
    .returning({ id: dncEntries.id });
  return row?.id;
}

/** False when the workspace has no such entry. */
export async function deleteDncEntry(
  db: DbOrTx,
  workspaceId: string,
  id: string,
): Promise<boolean> {
  const rows = await db
    .delete(dncEntries)
    .where(and(eq(dncEntries.workspaceId, workspaceId), eq(dncEntries.id, id)))
    .returning({ id: dncEntries.id });
  return rows.length > 0;
}

/**
 * The call and SMS follow-ups of the workspace's contact with this phone that listing it
 * blocks: those in one of `statuses` (those the blockDnc transition leaves).
 */
export async function listFollowUpIdsBlockedByPhone(
  db: DbOrTx,
  workspaceId: string,
  phone: string,
  statuses: readonly string[],
): Promise<string[]> {
  const rows = await db
    .select({ id: followUps.id })
    .from(followUps)
    .innerJoin(
      contacts,
      and(eq(contacts.workspaceId, followUps.workspaceId), eq(contacts.id, followUps.contactId)),
    )
    .where(
      and(
        eq(contacts.workspaceId, workspaceId),
        eq(contacts.phone, phone),
        inArray(followUps.type, ['call', 'sms']),
        inArray(followUps.status, [...statuses]),
      ),
    );
  return rows.map((r) => r.id);
}
