/**
 * The Do Not Call list. Listing a phone fails, in the same transaction, every open call and SMS
 * follow-up (scheduled, queued, snoozed) of the workspace's contact with that phone, through
 * the one transition function (action blockDnc, event blocked_dnc). Removing a phone leaves
 * those follow-ups failed: operators may Retry them.
 */
import type {
  AddDncBody,
  AddedDncEntry,
  DncEntry,
  ListDncQuery,
} from '../../contracts/dnc.contract.ts';
import { contactDisplayName } from '../../core/contact.ts';
import { TRANSITIONS } from '../../core/follow-up.ts';
import { countryOfZone, normalizePhone } from '../../core/time-zone.ts';
import type { Tx } from '../db/client.ts';
import {
  type DncEntryWithContact,
  deleteDncEntry,
  findDncEntryRow,
  insertDncEntry,
  listDncEntryRows,
  listFollowUpIdsBlockedByPhone,
} from '../db/repositories/dnc-entries.ts';
import { conflict, invalid, notFound } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Actor, ServiceContext } from './context.ts';
import { decodeCursor, page } from './cursor.ts';
import { loadWorkspace } from './follow-ups/follow-up-checks.ts';
import { tryTransitionMany } from './follow-ups/transitions.ts';

export const DNC_ERROR = 'The contact is on the Do Not Call list.';

function toEntry({ d, contactId, firstName, lastName }: DncEntryWithContact): DncEntry {
  return {
    id: d.id,
    phone: d.phone,
    reason: d.reason,
    contact: contactId
      ? {
          id: contactId,
          name: contactDisplayName({ id: contactId, firstName, lastName, phone: d.phone }),
        }
      : null,
    createdAt: d.createdAt.toISOString(),
  };
}

/** GET /api/dnc: newest first; q matches phone digits or the contact's name. */
export async function listDnc(
  ctx: ServiceContext,
  actor: Actor,
  query: ListDncQuery,
): Promise<{ items: DncEntry[]; nextCursor: string | null }> {
  const after = query.cursor ? decodeCursor(query.cursor, ['instant', 'uuid'] as const) : undefined;
  const rows = await listDncEntryRows(
    ctx.db,
    actor.workspaceId,
    { q: query.q, limit: query.limit + 1 },
    after,
  );
  const result = page(rows, query.limit, ({ d, key }) => [key, d.id]);
  return { items: result.items.map(toEntry), nextCursor: result.nextCursor };
}

/**
 * POST /api/dnc. A national number ('(212) 555-0100') is read in the country of the
 * workspace's time zone. Duplicate → 409.
 */
export async function addDnc(
  ctx: ServiceContext,
  actor: Actor,
  body: AddDncBody,
): Promise<AddedDncEntry> {
  const now = ctx.clock.now();
  const { workspaceId } = actor;
  return ctx.db.transaction(async (tx) => {
    const workspace = await loadWorkspace(tx, workspaceId);
    const phone = normalizePhone(body.phone, countryOfZone(workspace.timezone));
    if (!phone) {
      throw invalid(`"${body.phone}" is not a valid phone number.`, [
        { path: 'phone', message: 'Enter a valid phone number, e.g. +1 212 555 0100.' },
      ]);
    }
    const listed = await listPhone(tx, {
      workspaceId,
      phone,
      reason: body.reason,
      actor,
      at: now,
    });
    if (!listed.entryId) {
      throw conflict(`${phone} is already on the Do Not Call list.`, [
        { path: 'phone', message: 'Already on the list.' },
      ]);
    }
    const id = listed.entryId;
    const row = await findDncEntryRow(tx, workspaceId, id);
    return { ...toEntry(row!), failedFollowUps: listed.failedFollowUpIds.length };
  });
}

/**
 * Puts an E.164 `phone` on the workspace's list and fails, through the one transition function
 * (blockDnc, event blocked_dnc), the open call and SMS follow-ups of the workspace's contact with
 * that phone. In the caller's transaction; `actor` null is the system (a call outcome).
 * `entryId` is null when the phone was listed already (open follow-ups are failed all the same).
 */
export async function listPhone(
  tx: Tx,
  input: {
    workspaceId: string;
    phone: string;
    reason: string | null;
    actor: Actor | null;
    at: Date;
    /** Added to the blocked_dnc events' data. */
    data?: Record<string, unknown>;
  },
): Promise<{ entryId: string | null; failedFollowUpIds: string[] }> {
  const { workspaceId, phone, actor, at } = input;
  const entryId =
    (await insertDncEntry(tx, {
      id: newId(),
      workspaceId,
      phone,
      reason: input.reason,
      createdByUserId: actor?.kind === 'user' ? actor.id : null,
      createdAt: at,
    })) ?? null;

  const open = await listFollowUpIdsBlockedByPhone(tx, workspaceId, phone, [
    ...TRANSITIONS.blockDnc.from,
  ]);
  const failed = await tryTransitionMany(tx, {
    workspaceId,
    followUpIds: open,
    action: 'blockDnc',
    at,
    actor,
    set: { lastError: DNC_ERROR },
    event: {
      kind: 'blocked_dnc',
      data: { reason: 'do_not_call', phone, dncEntryId: entryId, ...input.data },
    },
  });
  return { entryId, failedFollowUpIds: failed.map((f) => f.row.id) };
}

/** DELETE /api/dnc/:id. Follow-ups failed by the listing stay failed. */
export async function removeDnc(ctx: ServiceContext, actor: Actor, id: string): Promise<void> {
  const deleted = await deleteDncEntry(ctx.db, actor.workspaceId, id);
  if (!deleted) throw notFound('Do Not Call entry');
}
