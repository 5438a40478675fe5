/**
 * The dispatch order (SPEC §2.3): urgent → high → normal → low, then earliest; and which
 * follow-ups of a batch start now — SMS and webhooks all, calls while their agent has room.
 * Pure: the room comes from claim.ts's agentRoom.
 */
import type { ClaimedRow } from './claim.ts';
import { agentFor } from './scheduler.ts';

/** urgent → high → normal → low, then earliest (SPEC §2.3). */
export function byDispatchOrder(a: ClaimedRow, b: ClaimedRow): number {
  return (
    a.priority_rank - b.priority_rank ||
    new Date(a.scheduled_at).getTime() - new Date(b.scheduled_at).getTime() ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/** The agents whose room a batch needs: those of its calls. */
export function callAgents(rows: readonly ClaimedRow[]): string[] {
  return [
    ...new Set(
      rows
        .filter((r) => r.type === 'call')
        .map(agentFor)
        .filter((a): a is string => a !== null),
    ),
  ];
}

/** Which of `rows` (in dispatch order) start now, given each agent's room (used up here). */
export function allocate(
  rows: readonly ClaimedRow[],
  room: Map<string, number>,
): { row: ClaimedRow; agentId: string | null }[] {
  const starting: { row: ClaimedRow; agentId: string | null }[] = [];
  for (const row of rows) {
    const agentId = agentFor(row);
    if (row.type === 'call') {
      const left = agentId ? (room.get(agentId) ?? 0) : 0;
      if (left <= 0) continue; // queued until the agent has room
      room.set(agentId!, left - 1);
    }
    starting.push({ row, agentId });
  }
  return starting;
}
