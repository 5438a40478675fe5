/**
 * Edits outcome rules (SPEC §6): one row per rule, "when a call ends with <outcome>, schedule
 * a <type> after <delay> (or at the requested time, for callbacks), with <max attempts> and
 * <priority>". What was typed stays as typed; the server checks it and its reasons show in the
 * row and field they are about.
 */
import { PlusIcon, Trash2Icon } from 'lucide-react';
import { useId } from 'react';
import {
  FOLLOW_UP_TYPES,
  type FollowUpType,
  PRIORITIES,
  PRIORITY_LABELS,
  type Priority,
  TYPE_LABELS,
} from '../../core/follow-up.ts';
import { CALL_OUTCOME_LABELS, CALL_OUTCOMES, type CallOutcome } from '../../core/results.ts';
import type { FieldProblem } from '../lib/api.ts';
import { nextKey, type RuleDraft } from './outcome-rules-model.ts';
import { Button } from './ui/button.tsx';
import { Checkbox } from './ui/checkbox.tsx';
import { Input } from './ui/input.tsx';
import { Label } from './ui/label.tsx';
import { Select } from './ui/select.tsx';

const problemAt = (errors: FieldProblem[], path: string) =>
  errors.find((e) => e.path === path || e.path.startsWith(`${path}.`))?.message;

const OUTCOME_OPTIONS = CALL_OUTCOMES.map((o) => ({ value: o, label: CALL_OUTCOME_LABELS[o] }));
const TYPE_OPTIONS = FOLLOW_UP_TYPES.map((t) => ({ value: t, label: TYPE_LABELS[t] }));
const PRIORITY_OPTIONS = PRIORITIES.map((p) => ({ value: p, label: PRIORITY_LABELS[p] }));

function RuleRow({
  index,
  draft,
  errors,
  disabled,
  onChange,
  onRemove,
}: {
  index: number;
  draft: RuleDraft;
  errors: FieldProblem[];
  disabled: boolean;
  onChange: (next: RuleDraft) => void;
  onRemove: () => void;
}) {
  const id = useId();
  const n = index + 1;
  const err = (field: string) => problemAt(errors, `${index}.${field}`);
  const rowError = errors.find((e) => e.path === String(index))?.message;
  const set = <K extends keyof RuleDraft>(key: K, value: RuleDraft[K]) =>
    onChange({ ...draft, [key]: value });
  const message = (field: string) =>
    err(field) ? (
      <p id={`${id}-${field}-error`} role="alert" className="text-destructive text-xs">
        {err(field)}
      </p>
    ) : null;
  const callback = draft.outcome === 'callback_requested';
  return (
    <li className="grid gap-3 rounded-lg border p-3" data-rule={index}>
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-[1.2fr_1fr_1.3fr_0.8fr_1fr_auto]">
        <div className="grid content-start gap-1.5">
          <Label htmlFor={`${id}-outcome`}>When a call ends with</Label>
          <Select
            id={`${id}-outcome`}
            value={draft.outcome}
            onValueChange={(v) => set('outcome', v as CallOutcome)}
            options={OUTCOME_OPTIONS}
            disabled={disabled}
            invalid={!!err('outcome')}
          />
          {message('outcome')}
        </div>
        <div className="grid content-start gap-1.5">
          <Label htmlFor={`${id}-type`}>Schedule</Label>
          <Select
            id={`${id}-type`}
            value={draft.type}
            onValueChange={(v) => set('type', v as FollowUpType)}
            options={TYPE_OPTIONS}
            disabled={disabled}
            invalid={!!err('type')}
          />
          {message('type')}
        </div>
        <div className="grid content-start gap-1.5">
          <Label htmlFor={`${id}-delay`}>Delay (minutes)</Label>
          <Input
            id={`${id}-delay`}
            inputMode="numeric"
            value={callback && draft.atRequestedTime ? '' : draft.delay}
            placeholder={callback && draft.atRequestedTime ? 'At the requested time' : '60'}
            disabled={disabled || (callback && draft.atRequestedTime)}
            aria-invalid={err('delayMinutes') ? true : undefined}
            aria-describedby={err('delayMinutes') ? `${id}-delayMinutes-error` : undefined}
            onChange={(e) => set('delay', e.target.value)}
          />
          {callback ? (
            <div className="flex items-center gap-2">
              <Checkbox
                id={`${id}-requested`}
                checked={draft.atRequestedTime}
                disabled={disabled}
                onCheckedChange={(v) => set('atRequestedTime', v === true)}
              />
              <Label htmlFor={`${id}-requested`} className="font-normal text-xs">
                At the requested time
              </Label>
            </div>
          ) : null}
          {message('delayMinutes')}
        </div>
        <div className="grid content-start gap-1.5">
          <Label htmlFor={`${id}-attempts`}>Max attempts</Label>
          <Input
            id={`${id}-attempts`}
            inputMode="numeric"
            value={draft.maxAttempts}
            disabled={disabled}
            aria-invalid={err('maxAttempts') ? true : undefined}
            aria-describedby={err('maxAttempts') ? `${id}-maxAttempts-error` : undefined}
            onChange={(e) => set('maxAttempts', e.target.value)}
          />
          {message('maxAttempts')}
        </div>
        <div className="grid content-start gap-1.5">
          <Label htmlFor={`${id}-priority`}>Priority</Label>
          <Select
            id={`${id}-priority`}
            value={draft.priority}
            onValueChange={(v) => set('priority', v as Priority)}
            options={PRIORITY_OPTIONS}
            disabled={disabled}
            invalid={!!err('priority')}
          />
          {message('priority')}
        </div>
        <div className="flex items-end">
          <Button
            type="button"
            variant="ghost"
            size="icon"
            disabled={disabled}
            onClick={onRemove}
            aria-label={`Remove rule ${n}`}
          >
            <Trash2Icon aria-hidden="true" />
          </Button>
        </div>
      </div>
      {rowError ? (
        <p role="alert" className="font-medium text-destructive text-xs">
          {rowError}
        </p>
      ) : null}
    </li>
  );
}

export function OutcomeRulesEditor({
  value,
  onChange,
  errors = [],
  disabled = false,
}: {
  value: RuleDraft[];
  onChange: (next: RuleDraft[]) => void;
  /** The server's problems, with paths inside the list ('0.delayMinutes'). */
  errors?: FieldProblem[];
  disabled?: boolean;
}) {
  const add = () =>
    onChange([
      ...value,
      {
        key: nextKey(),
        outcome: 'no_answer',
        type: 'call',
        delay: '60',
        atRequestedTime: false,
        maxAttempts: '3',
        priority: 'normal',
      },
    ]);
  const listError = errors.find((e) => e.path === '')?.message;
  return (
    <div className="grid gap-3">
      {value.length === 0 ? (
        <p className="text-muted-foreground text-sm">
          No outcome rules: calls create no follow-ups by themselves. Add a rule to schedule the
          next step after an outcome.
        </p>
      ) : (
        <ol className="grid gap-3" aria-label="Outcome rules">
          {value.map((draft, i) => (
            <RuleRow
              key={draft.key}
              index={i}
              draft={draft}
              errors={errors}
              disabled={disabled}
              onChange={(next) => onChange(value.map((d, j) => (j === i ? next : d)))}
              onRemove={() => onChange(value.filter((_, j) => j !== i))}
            />
          ))}
        </ol>
      )}
      {listError ? (
        <p role="alert" className="font-medium text-destructive text-xs">
          {listError}
        </p>
      ) : null}
      <div>
        <Button type="button" variant="outline" size="sm" onClick={add} disabled={disabled}>
          <PlusIcon aria-hidden="true" />
          Add rule
        </Button>
      </div>
    </div>
  );
}
