/**
 * Frequency caps in the engine (core/frequency-caps.ts decides): before a batch starts its
 * calls and SMS, the contacts of those rows are locked (a transaction-scoped advisory lock per
 * contact, taken in a fixed order), the attempts started for them in the longest period are
 * counted, and the rows that would break a cap are deferred — they stay `scheduled`, with
 * `nextAttemptAt` at the first moment the cap and the calling time both allow, and a `deferred`
 * event naming the cap and until when. The locks are held until the batch's attempts are
 * inserted and committed, so two workers cannot both start the attempt that breaks a cap.
 * The customer override does not lift a cap. The dispatcher calls it with the rows it is about
 * to start (their agents have room), so a row that passes is one that starts.
 */
import { sql } from 'drizzle-orm';
import { contactRegions } from '../../core/calling-rules.ts';
import {
  type AppliedCap,
  applicableCaps,
  type CapCandidate,
  capRuleText,
  decideCaps,
  type FrequencyCap,
  type StartedAttempt,
} from '../../core/frequency-caps.ts';
import { contactZone } from '../../core/scheduling.ts';
import { type StateCallingRule, stateCallingRule } from '../../core/state-calling-rules.ts';
import { formatLocalTime } from '../../core/waiting.ts';
import type { Tx } from '../db/client.ts';
import { pgArray, rowsOf } from '../db/sql.ts';
import { type RowTransition, transitionRows } from '../services/follow-ups/transitions.ts';
import { type PlacementRow, place } from './scheduler.ts';

/** Advisory lock namespace of the per-contact cap lock (the agents' is 7419100). */
const CONTACT_LOCK = 7419101;

export interface CappedRow extends PlacementRow {
  contact_id: string;
}

/** The state rules of a contact that may limit its calls (stated region, area code). */
function stateRulesOf(row: PlacementRow): StateCallingRule[] {
  return contactRegions(row.contact_region, row.contact_phone)
    .map(stateCallingRule)
    .filter((r): r is StateCallingRule => r?.callLimit != null);
}

/**
 * Defers the rows (about to start, in dispatch order) that would break a frequency cap, and
 * returns their ids; the others may start. Call inside the transaction that inserts the
 * attempts of the others.
 */
export async function holdCappedAttempts(
  tx: Tx,
  rows: readonly CappedRow[],
  now: Date,
): Promise<Set<string>> {
  const none = new Set<string>();
  const windowed = rows.filter((r) => r.type === 'call' || r.type === 'sms');
  if (windowed.length === 0) return none;
  const workspaceIds = [...new Set(windowed.map((r) => r.workspace_id))];
  const campaignIds = [
    ...new Set(windowed.map((r) => r.campaign_id).filter((c): c is string => c !== null)),
  ];
  const capsOf = new Map<string, FrequencyCap[]>();
  for (const c of rowsOf<{ id: string; caps: FrequencyCap[] }>(
    await tx.execute(sql`
      select id, frequency_caps as caps from workspaces
      where id = any(${pgArray(workspaceIds)}::uuid[])
      union all
      select id, frequency_caps as caps from campaigns
      where id = any(${pgArray(campaignIds)}::uuid[])`),
  )) {
    capsOf.set(c.id, c.caps ?? []);
  }
  const candidates: CapCandidate[] = windowed.map((r) => ({
    id: r.id,
    contactId: r.contact_id,
    channel: r.type,
    campaignId: r.campaign_id,
    caps: applicableCaps({
      channel: r.type,
      workspaceCaps: capsOf.get(r.workspace_id) ?? [],
      campaignCaps: r.campaign_id ? (capsOf.get(r.campaign_id) ?? []) : null,
      stateRules: stateRulesOf(r),
    }),
  }));
  const capped = candidates.filter((c) => c.caps.length > 0);
  if (capped.length === 0) return none;

  const contactIds = [...new Set(capped.map((c) => c.contactId))].sort();
  const longest = Math.max(...capped.flatMap((c) => c.caps.map((cap) => cap.periodHours)));
  await tx.execute(sql`
    select pg_advisory_xact_lock(${CONTACT_LOCK}, hashtext(c))
    from unnest(${pgArray(contactIds)}::text[]) as c order by c`);
  // Read after the locks: every attempt a competing batch started is committed by now.
  const started = rowsOf<{
    contact_id: string;
    channel: string;
    campaign_id: string | null;
    started_at: Date | string;
  }>(
    await tx.execute(sql`
      select f.contact_id, a.channel, f.campaign_id, a.started_at
      from follow_ups f
      join follow_up_attempts a on a.follow_up_id = f.id
      where f.workspace_id = any(${pgArray(workspaceIds)}::uuid[])
        and f.contact_id = any(${pgArray(contactIds)}::uuid[])
        and a.channel in ('call', 'sms')
        and a.started_at > ${new Date(now.getTime() - longest * 3_600_000).toISOString()}::timestamptz`),
  );
  const byContact = new Map<string, StartedAttempt[]>();
  for (const s of started) {
    const list = byContact.get(s.contact_id) ?? [];
    list.push({ channel: s.channel, campaignId: s.campaign_id, startedAt: new Date(s.started_at) });
    byContact.set(s.contact_id, list);
  }

  const held = new Map<string, { cap: AppliedCap; until: Date; count: number }>();
  for (const d of decideCaps(capped, byContact, now)) if (d.hold) held.set(d.id, d.hold);
  if (held.size === 0) return none;

  const deferred: RowTransition[] = [];
  for (const row of rows) {
    const hold = held.get(row.id);
    if (!hold) continue;
    // The first moment the cap allows, then the first calling time from there.
    const p = place(row, hold.until);
    const at = p.kind === 'defer' ? p.until : hold.until;
    const zone = contactZone(
      { timezone: row.contact_timezone, phone: row.contact_phone },
      row.workspace_timezone,
    ).timezone;
    deferred.push({
      id: row.id,
      workspaceId: row.workspace_id,
      nextAttemptAt: at,
      data: {
        reason: 'frequency_cap',
        until: at.toISOString(),
        timezone: zone,
        cap: {
          scope: hold.cap.scope,
          label: hold.cap.label,
          channels: hold.cap.channels,
          max: hold.cap.max,
          periodHours: hold.cap.periodHours,
          source: hold.cap.source,
        },
        count: hold.count,
        rule: capRuleText(hold.cap),
        message: `${capRuleText(hold.cap)}; next at ${formatLocalTime(at, zone)}`,
      },
    });
  }
  await transitionRows(tx, {
    action: 'defer',
    at: now,
    rows: deferred,
    columns: ['nextAttemptAt'],
    event: { kind: 'deferred' },
  });
  return new Set(held.keys());
}
