/**
 * The calling-window editor's state: what people type (every day keeps its hours while it is
 * switched off), and the policy it stands for (core/calling-window.ts).
 */
import {
  type CallingWindowPolicy,
  type TimeRange,
  WEEKDAYS,
  type Weekday,
} from '../../core/calling-window.ts';

/** The weekdays of a calling window, Monday first, with their names. */
export const WEEKDAY_LABELS = [
  ['monday', 'Monday'],
  ['tuesday', 'Tuesday'],
  ['wednesday', 'Wednesday'],
  ['thursday', 'Thursday'],
  ['friday', 'Friday'],
  ['saturday', 'Saturday'],
  ['sunday', 'Sunday'],
] as const satisfies readonly (readonly [Weekday, string])[];
export const WEEKDAY_NAMES = Object.fromEntries(WEEKDAY_LABELS) as Record<Weekday, string>;

export interface DayDraft {
  enabled: boolean;
  start: string;
  end: string;
  /** Further ranges of that day (set through the API); kept as they are. */
  more: TimeRange[];
}

export interface CallingWindowDraft {
  /** Follow the workspace's calling windows (campaigns only). */
  inherit: boolean;
  days: Record<Weekday, DayDraft>;
  closedDates: string[];
}

export function draftFromPolicy(
  policy: CallingWindowPolicy | null,
  fallback: CallingWindowPolicy,
): CallingWindowDraft {
  const source = policy ?? fallback;
  const days = {} as Record<Weekday, DayDraft>;
  for (const day of WEEKDAYS) {
    const [first, ...more] = source.weekly[day] ?? [];
    days[day] = {
      enabled: !!first,
      start: first?.start ?? '09:00',
      end: first?.end ?? '18:00',
      more,
    };
  }
  return { inherit: policy === null, days, closedDates: [...source.closedDates] };
}

export function policyFromDraft(draft: CallingWindowDraft): CallingWindowPolicy {
  const weekly = {} as CallingWindowPolicy['weekly'];
  for (const day of WEEKDAYS) {
    const d = draft.days[day];
    weekly[day] = d.enabled ? [{ start: d.start, end: d.end }, ...d.more] : [];
  }
  return { weekly, closedDates: [...draft.closedDates] };
}

const minutes = (clock: string): number | null => {
  const m = /^(\d{2}):(\d{2})$/.exec(clock);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
};

/** Minutes a range lasts ('22:00'–'02:00' crosses midnight), or null when a time is unreadable. */
export function rangeMinutes(start: string, end: string): number | null {
  const s = minutes(start);
  const e = minutes(end);
  if (s === null || e === null) return null;
  return e > s ? e - s : 24 * 60 - s + e;
}

/** Warnings (not errors: the server accepts them) about a draft the admin may not mean. */
export function draftWarnings(draft: CallingWindowDraft): string[] {
  if (draft.inherit) return [];
  const warnings: string[] = [];
  const open = WEEKDAYS.filter((day) => draft.days[day].enabled);
  if (open.length === 0) {
    warnings.push('No day is open: no call or SMS will go out until you open one.');
  }
  const short = open.filter((day) => {
    const length = rangeMinutes(draft.days[day].start, draft.days[day].end);
    return length !== null && length < 60;
  });
  if (short.length > 0) {
    const names = short.map((day) => WEEKDAY_NAMES[day]).join(', ');
    warnings.push(`Shorter than an hour on ${names}: few calls will fit.`);
  }
  return warnings;
}
