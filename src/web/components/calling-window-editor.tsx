/**
 * Edits a calling window (SPEC §3): per weekday on/off with its start and end, "Copy to all",
 * closed dates, and for a campaign the choice to follow the workspace's windows instead.
 * Warns about a window nobody would want (no open day, less than an hour); the server's
 * reasons show beside the day or date they are about.
 */
import { AlertTriangleIcon, CopyIcon, XIcon } from 'lucide-react';
import { useId, useState } from 'react';
import { WEEKDAYS, type Weekday } from '../../core/calling-window.ts';
import type { FieldProblem } from '../lib/api.ts';
import {
  type CallingWindowDraft,
  type DayDraft,
  draftWarnings,
  WEEKDAY_NAMES,
} from './calling-window-model.ts';
import { Alert } from './ui/alert.tsx';
import { Button } from './ui/button.tsx';
import { Checkbox } from './ui/checkbox.tsx';
import { Input } from './ui/input.tsx';
import { Label } from './ui/label.tsx';

/** The first problem whose path is `path` or inside it. */
const problemAt = (errors: FieldProblem[], path: string) =>
  errors.find((e) => e.path === path || e.path.startsWith(`${path}.`))?.message;

function DayRow({
  day,
  draft,
  disabled,
  error,
  onChange,
  onCopy,
}: {
  day: Weekday;
  draft: DayDraft;
  disabled: boolean;
  error: string | undefined;
  onChange: (next: DayDraft) => void;
  onCopy: () => void;
}) {
  const id = useId();
  const name = WEEKDAY_NAMES[day];
  const timeOff = disabled || !draft.enabled;
  return (
    <li className="grid gap-1 border-b py-2 last:border-0" data-day={day}>
      <div className="flex flex-wrap items-center gap-x-3 gap-y-2">
        <div className="flex w-full items-center gap-2 sm:w-32">
          <Checkbox
            id={`${id}-on`}
            checked={draft.enabled}
            disabled={disabled}
            onCheckedChange={(v) => onChange({ ...draft, enabled: v === true })}
          />
          <Label htmlFor={`${id}-on`}>{name}</Label>
        </div>
        <div className="flex items-center gap-2">
          <Input
            type="time"
            aria-label={`${name} from`}
            className="w-30"
            value={draft.start}
            disabled={timeOff}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-error` : undefined}
            onChange={(e) => onChange({ ...draft, start: e.target.value })}
          />
          <span aria-hidden="true" className="text-muted-foreground">
            –
          </span>
          <Input
            type="time"
            aria-label={`${name} until`}
            className="w-30"
            value={draft.end}
            disabled={timeOff}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-error` : undefined}
            onChange={(e) => onChange({ ...draft, end: e.target.value })}
          />
        </div>
        {!draft.enabled ? (
          <span className="text-muted-foreground text-sm max-sm:hidden">Closed</span>
        ) : null}
        {draft.more.length ? (
          <span className="text-muted-foreground text-xs">
            and {draft.more.map((r) => `${r.start}–${r.end}`).join(', ')}
          </span>
        ) : null}
        <Button
          type="button"
          variant="ghost"
          size="sm"
          className="ml-auto"
          disabled={disabled}
          onClick={onCopy}
          aria-label={`Copy ${name}'s hours to every day`}
        >
          <CopyIcon aria-hidden="true" />
          <span className="max-sm:sr-only">Copy to all</span>
        </Button>
      </div>
      {error ? (
        <p id={`${id}-error`} role="alert" className="font-medium text-destructive text-xs">
          {error}
        </p>
      ) : null}
    </li>
  );
}

function ClosedDates({
  dates,
  disabled,
  errors,
  onChange,
}: {
  dates: string[];
  disabled: boolean;
  errors: FieldProblem[];
  onChange: (dates: string[]) => void;
}) {
  const id = useId();
  const [adding, setAdding] = useState('');
  const add = () => {
    if (!adding || dates.includes(adding)) return;
    onChange([...dates, adding].sort());
    setAdding('');
  };
  const listError = problemAt(errors, 'closedDates');
  return (
    <fieldset className="grid gap-2" disabled={disabled}>
      <legend className="mb-1 font-medium text-sm">Closed dates</legend>
      {dates.length === 0 ? (
        <p className="text-muted-foreground text-sm">
          No closed dates. Add holidays and other days without calls.
        </p>
      ) : (
        <ul className="flex flex-wrap gap-2" aria-label="Closed dates">
          {dates.map((date, i) => {
            const error = problemAt(errors, `closedDates.${i}`);
            return (
              <li
                key={date}
                className={
                  error
                    ? 'flex items-center gap-1 rounded-md border border-destructive px-2 py-0.5 text-sm'
                    : 'flex items-center gap-1 rounded-md border px-2 py-0.5 text-sm'
                }
              >
                <span className="tabular-nums">{date}</span>
                <button
                  type="button"
                  className="rounded p-0.5 text-muted-foreground hover:text-foreground"
                  aria-label={`Remove ${date}`}
                  onClick={() => onChange(dates.filter((d) => d !== date))}
                >
                  <XIcon className="size-3.5" aria-hidden="true" />
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <div className="flex flex-wrap items-center gap-2">
        <Input
          id={`${id}-date`}
          type="date"
          aria-label="Closed date to add"
          className="w-44"
          value={adding}
          onChange={(e) => setAdding(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              add();
            }
          }}
        />
        <Button type="button" variant="outline" size="sm" onClick={add} disabled={!adding}>
          Add date
        </Button>
      </div>
      {listError ? (
        <p role="alert" className="font-medium text-destructive text-xs">
          {listError}
        </p>
      ) : null}
    </fieldset>
  );
}

export function CallingWindowEditor({
  value,
  onChange,
  errors = [],
  allowInherit = false,
  disabled = false,
}: {
  value: CallingWindowDraft;
  onChange: (next: CallingWindowDraft) => void;
  /** The server's problems, with paths inside the window ('weekly.monday.0.start'). */
  errors?: FieldProblem[];
  /** Offer "Use the workspace's calling windows" (campaigns). */
  allowInherit?: boolean;
  disabled?: boolean;
}) {
  const id = useId();
  const locked = disabled || value.inherit;
  const setDay = (day: Weekday, next: DayDraft) =>
    onChange({ ...value, days: { ...value.days, [day]: next } });
  const copyToAll = (from: Weekday) => {
    const { start, end } = value.days[from];
    const days = { ...value.days };
    for (const day of WEEKDAYS) days[day] = { ...days[day], start, end };
    onChange({ ...value, days });
  };
  const warnings = draftWarnings(value);
  const general = errors.find((e) => !/^(weekly\.\w+|closedDates)/.test(e.path))?.message;
  return (
    <div className="grid gap-3">
      {allowInherit ? (
        <fieldset className="grid gap-2" disabled={disabled}>
          <legend className="sr-only">Which calling windows</legend>
          {[
            [true, "Use the workspace's calling windows"],
            [false, 'Custom calling windows'],
          ].map(([inherit, label]) => (
            <label key={String(inherit)} className="flex items-center gap-2 text-sm">
              <input
                type="radio"
                name={`${id}-inherit`}
                className="size-4 accent-primary"
                checked={value.inherit === inherit}
                onChange={() => onChange({ ...value, inherit: inherit as boolean })}
              />
              {label}
            </label>
          ))}
        </fieldset>
      ) : null}
      <ul aria-label="Calling windows per weekday" className={locked ? 'opacity-60' : undefined}>
        {WEEKDAYS.map((day) => (
          <DayRow
            key={day}
            day={day}
            draft={value.days[day]}
            disabled={locked}
            error={problemAt(errors, `weekly.${day}`)}
            onChange={(next) => setDay(day, next)}
            onCopy={() => copyToAll(day)}
          />
        ))}
      </ul>
      <p className="text-muted-foreground text-xs">
        Times are each contact's local time. Whatever the windows say, calls and SMS stay within
        08:00–21:00 there (the US TCPA bound) unless the customer asked for another time.
      </p>
      {warnings.map((warning) => (
        <Alert key={warning} variant="warning" data-testid="window-warning">
          <AlertTriangleIcon aria-hidden="true" />
          <p>{warning}</p>
        </Alert>
      ))}
      {general ? (
        <p role="alert" className="font-medium text-destructive text-xs">
          {general}
        </p>
      ) : null}
      <ClosedDates
        dates={value.closedDates}
        disabled={locked}
        errors={errors}
        onChange={(closedDates) => onChange({ ...value, closedDates })}
      />
    </div>
  );
}
