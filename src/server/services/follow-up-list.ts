/**
 * GET /api/follow-ups: the keyset-paginated list with every filter of SPEC §8, and the contact
 * card's order. The list is the busiest read of the product, so its query is built once per
 * shape (which filters are present, which kind of cursor) and kept: a request only binds its
 * values. The contact card's statement is named: one plan serves every contact (the contact
 * index), so PostgreSQL parses and plans it once per connection. The other shapes stay
 * unnamed, so PostgreSQL plans them with each request's values (a status filter can then use
 * the partial indexes on open statuses, which a generic plan cannot).
 */
import { and, asc, desc, eq, inArray, notInArray, or, type SQL, sql } from 'drizzle-orm';
import type { FollowUp, ListFollowUpsQuery } from '../../contracts/follow-ups.contract.ts';
import { OPEN_STATUSES } from '../../core/follow-up.ts';
import type { DbOrTx } from '../db/client.ts';
import { preparedPer } from '../db/prepared.ts';
import { followUps } from '../db/schema.ts';
import { microIsoOfTimestampText } from '../db/sql.ts';
import type { Actor, ServiceContext } from './context.ts';
import { decodeCursor, page } from './cursor.ts';
import { finishedAt, followUpRows, selectFollowUps, withNames } from './follow-up-views.ts';

const OPEN = [...OPEN_STATUSES] as string[];
const isOpen = inArray(followUps.status, OPEN);
const isFinished = notInArray(followUps.status, OPEN);
const p = (name: string) => sql.placeholder(name);
const cursorAt = sql`${p('cursorAt')}::timestamptz`;
const cursorId = sql`${p('cursorId')}::uuid`;

/** The filters of SPEC §8, each with the placeholder its value binds to. */
const FILTERS = {
  contactId: () => eq(followUps.contactId, p('contactId')),
  status: () => sql`${followUps.status} = any(${p('status')}::text[])`,
  type: () => eq(followUps.type, p('type')),
  agentId: () => eq(followUps.agentId, p('agentId')),
  campaignId: () => eq(followUps.campaignId, p('campaignId')),
  priority: () => eq(followUps.priority, p('priority')),
  source: () => eq(followUps.source, p('source')),
  scheduledFrom: () => sql`${followUps.scheduledAt} >= ${p('scheduledFrom')}::timestamptz`,
  scheduledTo: () => sql`${followUps.scheduledAt} < ${p('scheduledTo')}::timestamptz`,
} satisfies Record<string, () => SQL>;
type Filter = keyof typeof FILTERS;
const FILTER_NAMES = Object.keys(FILTERS) as Filter[];

/** none; by scheduledAt; latest scheduledAt first; the card's open group; its finished group. */
type CursorKind = 'none' | 'plain' | 'latest' | 'open' | 'finished';

const CURSORS: Record<CursorKind, SQL | undefined> = {
  none: undefined,
  plain: sql`(${followUps.scheduledAt}, ${followUps.id}) > (${cursorAt}, ${cursorId})`,
  latest: sql`(${followUps.scheduledAt}, ${followUps.id}) < (${cursorAt}, ${cursorId})`,
  open: or(
    and(isOpen, sql`(${followUps.scheduledAt}, ${followUps.id}) > (${cursorAt}, ${cursorId})`),
    isFinished,
  ),
  finished: and(isFinished, sql`(${finishedAt}, ${followUps.id}) < (${cursorAt}, ${cursorId})`),
};

// With contactId: open first (scheduledAt asc, id asc), then finished (finishedAt desc, id desc).
const CARD_ORDER = [
  sql`case when ${isOpen} then 0 else 1 end`,
  sql`case when ${isOpen} then ${followUps.scheduledAt} end asc`,
  sql`case when ${isOpen} then ${followUps.id} end asc`,
  sql`case when ${isFinished} then ${finishedAt} end desc`,
  sql`case when ${isFinished} then ${followUps.id} end desc`,
];
const PLAIN_ORDER = [asc(followUps.scheduledAt), asc(followUps.id)];
const LATEST_ORDER = [desc(followUps.scheduledAt), desc(followUps.id)];

function buildList(db: DbOrTx, filters: Filter[], cursor: CursorKind, latest: boolean) {
  return (
    selectFollowUps(db)
      .where(
        and(
          eq(followUps.workspaceId, p('workspaceId')),
          ...filters.map((name) => FILTERS[name]()),
          CURSORS[cursor],
        ),
      )
      .orderBy(
        ...(filters.includes('contactId') ? CARD_ORDER : latest ? LATEST_ORDER : PLAIN_ORDER),
      )
      .limit(p('limit'))
      // See above; drizzle types the name as required.
      .prepare(
        filters.length === 1 && filters[0] === 'contactId'
          ? `follow_up_card_${cursor}`
          : (undefined as unknown as string),
      )
  );
}

const listQuery = preparedPer((db, shape: string) => {
  const [filters, cursor, sort] = shape.split('|') as [string, CursorKind, string];
  return buildList(
    db,
    filters === '' ? [] : (filters.split(',') as Filter[]),
    cursor,
    sort === '-scheduledAt',
  );
});

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
  const filters = FILTER_NAMES.filter((name) => query[name] !== undefined);
  const values: Record<string, unknown> = {
    workspaceId: actor.workspaceId,
    limit: query.limit + 1,
  };
  for (const name of filters) values[name] = query[name];
  const card = query.contactId !== undefined;
  const latest = !card && query.sort === '-scheduledAt';
  let cursor: CursorKind = 'none';
  if (query.cursor && card) {
    const [group, at, id] = decodeCursor(query.cursor, ['number', 'instant', 'uuid'] as const);
    cursor = group === 0 ? 'open' : 'finished';
    Object.assign(values, { cursorAt: at, cursorId: id });
  } else if (query.cursor) {
    const [at, id] = decodeCursor(query.cursor, ['instant', 'uuid'] as const);
    cursor = latest ? 'latest' : 'plain';
    Object.assign(values, { cursorAt: at, cursorId: id });
  }
  const rows = await followUpRows(
    listQuery(ctx.db, `${filters.join(',')}|${cursor}|${latest ? '-scheduledAt' : 'scheduledAt'}`),
    values,
  );
  // Cursor keys exact to the microsecond, from the instants' text (only the last row needs one).
  const result = page(rows, query.limit, (r) =>
    card
      ? OPEN.includes(r.status)
        ? [0, microIsoOfTimestampText(r.scheduledAt), r.id]
        : [1, microIsoOfTimestampText(r.completedAt ?? r.scheduledAt), r.id]
      : [microIsoOfTimestampText(r.scheduledAt), r.id],
  );
  return {
    items: await withNames(ctx.db, actor.workspaceId, result.items),
    nextCursor: result.nextCursor,
  };
}
