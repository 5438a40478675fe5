/**
 * When things can happen in the demo: a random local business time in a contact's zone, and
 * whether a follow-up's calling window lets it run at an instant (or when it next would).
 */
import { Temporal } from 'temporal-polyfill';
import {
  type CallingWindowPolicy,
  DEFAULT_CALLING_WINDOW,
  isInsideWindow,
  nextWindowStart,
} from '../../core/calling-window.ts';
import { DAY, type DemoState, type Draft, instant } from './demo-model.ts';

/**
 * A local business time (weekday, 09:00–17:15 unless `minutes` says otherwise) on the local
 * date `days` days from `base` in `zone`, strictly between lo and hi; null after 16 tries.
 * `days` is a range [from, to] or a function; weekends move back (past) or forward (future).
 */
export function businessTime(
  demo: DemoState,
  zone: string,
  from: number | (() => number),
  to: number | null,
  lo: number,
  hi: number,
  minutes: readonly [number, number] = [9 * 60, 17 * 60 + 15],
  base = demo.now,
  weekdays: 0 | 1 = 1,
): number | null {
  const r = demo.rng;
  for (let i = 0; i < 16; i++) {
    const offset = typeof from === 'function' ? from() : r.int(from, to ?? from);
    let date = instant(base + offset * DAY)
      .toZonedDateTimeISO(zone)
      .toPlainDate();
    const step = offset < 0 ? -1 : 1;
    while (weekdays && date.dayOfWeek > 5) date = date.add({ days: step });
    const minute = r.int(minutes[0], minutes[1]);
    const time = new Temporal.PlainTime(Math.floor(minute / 60), minute % 60, r.int(0, 59));
    const t = date.toZonedDateTime({ timeZone: zone, plainTime: time }).epochMilliseconds;
    if (t > lo && t < hi) return t;
  }
  return null;
}

function windowed(d: Draft): boolean {
  return d.type !== 'webhook' && !d.allowOutOfWindow;
}

function policyOf(d: Draft): CallingWindowPolicy {
  return d.campaign?.policy ?? DEFAULT_CALLING_WINDOW;
}

export function inWindow(d: Draft, at: number): boolean {
  return !windowed(d) || isInsideWindow(policyOf(d), d.person.zone, instant(at));
}

/** When the engine would start it, due at `due`: the next window opening if outside. */
export function nextRunAt(d: Draft, due: number): number {
  if (!windowed(d)) return due;
  return nextWindowStart(policyOf(d), d.person.zone, instant(due))?.epochMilliseconds ?? due;
}
