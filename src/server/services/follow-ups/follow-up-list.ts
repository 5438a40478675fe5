/**
 * GET /api/follow-ups: the keyset-paginated list with every filter of SPEC §8, and the contact
 * card's order. Its statements are in db/repositories/follow-ups-fast.ts; here are the request's
 * rules: which order, which cursor, and the page.
 */
import type { FollowUp, ListFollowUpsQuery } from '../../../contracts/follow-ups.contract.ts';
import {
  cursorAfter,
  type ListCursor,
  type ListOrder,
  listRows,
} from '../../db/repositories/follow-ups-fast.ts';
import type { Actor, ServiceContext } from '../context.ts';
import { decodeCursor, page } from '../cursor.ts';
import { withNames } from './follow-up-views.ts';

/**
 * GET /api/follow-ups. With contactId (the contact card and its "View all"): open ones first,
 * soonest first, then finished ones, latest first. Otherwise: by scheduledAt, then id,
 * ascending or (sort = -scheduledAt) descending.
 */
export async function listFollowUps(
  ctx: ServiceContext,
  actor: Actor,
  query: ListFollowUpsQuery,
): Promise<{ items: FollowUp[]; nextCursor: string | null }> {
  const order: ListOrder =
    query.contactId !== undefined ? 'card' : query.sort === '-scheduledAt' ? 'latest' : 'soonest';
  let cursor: ListCursor | null = null;
  if (query.cursor && order === 'card') {
    const [group, at, id] = decodeCursor(query.cursor, ['number', 'instant', 'uuid'] as const);
    cursor = { group: group === 0 ? 0 : 1, at, id };
  } else if (query.cursor) {
    const [at, id] = decodeCursor(query.cursor, ['instant', 'uuid'] as const);
    cursor = { at, id };
  }
  const { contactId, status, type, agentId, campaignId, priority, source } = query;
  const { scheduledFrom, scheduledTo } = query;
  const rows = await listRows(ctx.db, {
    workspaceId: actor.workspaceId,
    filters: {
      contactId,
      status,
      type,
      agentId,
      campaignId,
      priority,
      source,
      scheduledFrom,
      scheduledTo,
    },
    order,
    cursor,
    limit: query.limit + 1,
  });
  const result = page(rows, query.limit, (row) => {
    const key = cursorAfter(row, order);
    return key.group === undefined ? [key.at, key.id] : [key.group, key.at, key.id];
  });
  return {
    items: await withNames(ctx.db, actor.workspaceId, result.items),
    nextCursor: result.nextCursor,
  };
}
