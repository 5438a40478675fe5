/**
 * One statement per batch of valid, de-duplicated rows: contacts are upserted on (workspace,
 * phone), changing a row only when a value differs; phones go on the Do Not Call list and fail
 * their contact's open call and SMS follow-ups. The dry runs count the same without writing.
 */
import { and, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { TRANSITIONS } from '../../../core/follow-up.ts';
import type { ContactRecord, DncRecord } from '../../../core/import-rows.ts';
import type { Database, DbOrTx } from '../../db/client.ts';
import { contacts, followUps } from '../../db/schema.ts';
import { pgArray, rowsOf } from '../../db/sql.ts';
import { newId } from '../../ids.ts';
import type { Actor } from '../context.ts';
import { DNC_ERROR } from '../dnc.service.ts';
import { tryTransitionMany } from '../follow-ups/transitions.ts';

export interface BatchCounts {
  created: number;
  updated: number;
  unchanged: number;
}

/** The batch as a relation u(id, phone, fn, ln, email, company, tz, custom); ids are new. */
function contactInput(records: readonly ContactRecord[]): SQL {
  const col = <K extends keyof ContactRecord>(k: K) => records.map((r) => r[k] as string | null);
  const custom = records.map((r) => JSON.stringify(r.customFields));
  const ids = records.map(() => newId());
  return sql`unnest(${pgArray(ids)}::uuid[], ${pgArray(col('phone'))}::text[], ${pgArray(col('firstName'))}::text[],
    ${pgArray(col('lastName'))}::text[], ${pgArray(col('email'))}::text[],
    ${pgArray(col('company'))}::text[], ${pgArray(col('timezone'))}::text[],
    ${pgArray(col('region'))}::text[],
    ${pgArray(custom)}::jsonb[]) as u(id, phone, fn, ln, email, company, tz, region, custom)`;
}

// A blank cell keeps what the contact has; custom fields are merged into the contact's.
const MERGED = sql`(coalesce(u.fn, c.first_name), coalesce(u.ln, c.last_name),
  coalesce(u.email, c.email), coalesce(u.company, c.company), coalesce(u.tz, c.timezone),
  coalesce(u.region, c.region), c.custom_fields || u.custom)`;
const CURRENT = sql`(c.first_name, c.last_name, c.email, c.company, c.timezone, c.region,
  c.custom_fields)`;

export async function upsertContacts(
  db: DbOrTx,
  workspaceId: string,
  records: readonly ContactRecord[],
  at: Date,
): Promise<BatchCounts> {
  if (records.length === 0) return { created: 0, updated: 0, unchanged: 0 };
  const result = await db.execute(sql`
    insert into contacts as c (id, workspace_id, phone, first_name, last_name, email, company,
      timezone, region, custom_fields, created_at, updated_at)
    select u.id, ${workspaceId}::uuid, u.phone, u.fn, u.ln, u.email, u.company, u.tz, u.region,
      u.custom,
      ${at.toISOString()}::timestamptz, ${at.toISOString()}::timestamptz
    from ${contactInput(records)}
    on conflict (workspace_id, phone) do update set
      first_name = coalesce(excluded.first_name, c.first_name),
      last_name = coalesce(excluded.last_name, c.last_name),
      email = coalesce(excluded.email, c.email),
      company = coalesce(excluded.company, c.company),
      timezone = coalesce(excluded.timezone, c.timezone),
      region = coalesce(excluded.region, c.region),
      custom_fields = c.custom_fields || excluded.custom_fields,
      updated_at = excluded.updated_at
    where (c.first_name, c.last_name, c.email, c.company, c.timezone, c.region, c.custom_fields)
      is distinct from (coalesce(excluded.first_name, c.first_name),
        coalesce(excluded.last_name, c.last_name), coalesce(excluded.email, c.email),
        coalesce(excluded.company, c.company), coalesce(excluded.timezone, c.timezone),
        coalesce(excluded.region, c.region), c.custom_fields || excluded.custom_fields)
    returning (xmax = 0) as inserted`);
  const rows = rowsOf<{ inserted: boolean }>(result);
  const created = rows.filter((r) => r.inserted).length;
  const updated = rows.length - created;
  return { created, updated, unchanged: records.length - rows.length };
}

/** What upsertContacts would do with this batch, without writing. */
export async function classifyContacts(
  db: DbOrTx,
  workspaceId: string,
  records: readonly ContactRecord[],
): Promise<BatchCounts> {
  if (records.length === 0) return { created: 0, updated: 0, unchanged: 0 };
  const [row] = rowsOf<{ created: number; updated: number }>(
    await db.execute(sql`
      select count(*) filter (where c.id is null)::int as created,
        count(*) filter (where c.id is not null and ${CURRENT} is distinct from ${MERGED})::int
          as updated
      from ${contactInput(records)}
      left join contacts c on c.workspace_id = ${workspaceId}::uuid and c.phone = u.phone`),
  );
  const created = Number(row?.created ?? 0);
  const updated = Number(row?.updated ?? 0);
  return { created, updated, unchanged: records.length - created - updated };
}

/**
 * Lists the new phones of the batch (one transaction) and fails, through the one transition
 * function, the open call and SMS follow-ups of the workspace's contacts with those phones.
 * Phones already listed are left as they are (unchanged).
 */
export async function listDncBatch(
  db: Database,
  input: { workspaceId: string; actor: Actor | null; jobId: string; at: Date },
  records: readonly DncRecord[],
): Promise<BatchCounts & { failedFollowUps: number }> {
  if (records.length === 0) return { created: 0, updated: 0, unchanged: 0, failedFollowUps: 0 };
  const { workspaceId, actor, at } = input;
  return db.transaction(async (tx) => {
    const inserted = rowsOf<{ phone: string }>(
      await tx.execute(sql`
        insert into dnc_entries (id, workspace_id, phone, reason, created_by_user_id, created_at)
        select i.id, ${workspaceId}::uuid, i.phone, i.reason,
          ${actor?.kind === 'user' ? actor.id : null}::uuid, ${at.toISOString()}::timestamptz
        from unnest(${pgArray(records.map(() => newId()))}::uuid[],
          ${pgArray(records.map((r) => r.phone))}::text[],
          ${pgArray(records.map((r) => r.reason))}::text[]) as i(id, phone, reason)
        on conflict (workspace_id, phone) do nothing
        returning phone`),
    );
    const phones = inserted.map((r) => r.phone);
    let failed = 0;
    if (phones.length > 0) {
      const open = await tx
        .select({ id: followUps.id })
        .from(followUps)
        .innerJoin(
          contacts,
          and(
            eq(contacts.workspaceId, followUps.workspaceId),
            eq(contacts.id, followUps.contactId),
          ),
        )
        .where(
          and(
            eq(contacts.workspaceId, workspaceId),
            inArray(contacts.phone, phones),
            inArray(followUps.type, ['call', 'sms']),
            inArray(followUps.status, [...TRANSITIONS.blockDnc.from]),
          ),
        );
      const moved = await tryTransitionMany(tx, {
        workspaceId,
        followUpIds: open.map((r) => r.id),
        action: 'blockDnc',
        at,
        actor,
        set: { lastError: DNC_ERROR },
        event: { kind: 'blocked_dnc', data: { reason: 'do_not_call', importJobId: input.jobId } },
      });
      failed = moved.length;
    }
    return {
      created: phones.length,
      updated: 0,
      unchanged: records.length - phones.length,
      failedFollowUps: failed,
    };
  });
}

/** How many phones of the batch are new to the list. */
export async function classifyDnc(
  db: DbOrTx,
  workspaceId: string,
  records: readonly DncRecord[],
): Promise<BatchCounts> {
  if (records.length === 0) return { created: 0, updated: 0, unchanged: 0 };
  const [row] = rowsOf<{ listed: number }>(
    await db.execute(sql`
      select count(*)::int as listed from dnc_entries
      where workspace_id = ${workspaceId}::uuid
        and phone = any(${pgArray(records.map((r) => r.phone))}::text[])`),
  );
  const listed = Number(row?.listed ?? 0);
  return { created: records.length - listed, updated: 0, unchanged: listed };
}
