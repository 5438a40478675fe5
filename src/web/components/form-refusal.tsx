/**
 * A refused form submission, shown where people look: each problem beside its field (the first
 * such field focused), the rest in one alert on top of the form.
 */
import { AlertCircleIcon } from 'lucide-react';
import type { FieldPath, FieldValues, UseFormSetError } from 'react-hook-form';
import { ApiError, errorMessage, type FieldProblem } from '../lib/api.ts';
import { Alert } from './ui/alert.tsx';

/**
 * Splits a refusal into messages by field (the first segment of each problem's path) and the
 * rest, which belongs at the top of the form.
 */
export function splitErrors<F extends string>(
  error: unknown,
  fields: readonly F[],
): { byField: Partial<Record<F, string>>; rest: string | null } {
  const byField: Partial<Record<F, string>> = {};
  const rest: string[] = [];
  if (error instanceof ApiError) {
    for (const problem of error.errors) {
      const field = problem.path.split('.')[0] as F;
      if (fields.includes(field) && !byField[field]) byField[field] = problem.message;
      else if (!fields.includes(field)) rest.push(problem.message);
    }
    if (error.errors.length === 0) rest.push(error.detail);
  } else {
    rest.push(errorMessage(error));
  }
  return { byField, rest: rest.length ? rest.join(' ') : null };
}

/**
 * Shows a refusal on a react-hook-form form: each problem as its field's error (the first such
 * field focused, by its id), the rest as the form's root error — read it back with
 * `form.formState.errors.root?.message`; the next submission clears both.
 *
 * `byPath`: each problem goes to its own path inside the field (`callingWindow.weekly.mon.0`),
 * for editors that show reasons deep inside a value (read them with `problemsIn`).
 * `marked`: the root message when every problem sits by a field ("Nothing was saved …").
 */
export function showRefusal<T extends FieldValues, F extends FieldPath<T>>(
  form: { setError: UseFormSetError<T> },
  fields: readonly F[],
  error: unknown,
  fieldId: (name: F) => string,
  options: { byPath?: boolean; marked?: string } = {},
): void {
  const { byField, rest } = splitErrors(error, fields);
  if (options.byPath && error instanceof ApiError) {
    const placed = new Set<string>();
    for (const problem of error.errors) {
      if (!fields.includes(problem.path.split('.')[0] as F) || placed.has(problem.path)) continue;
      placed.add(problem.path);
      form.setError(problem.path as F, { type: 'server', message: problem.message });
    }
  } else {
    for (const field of fields) {
      const message = byField[field];
      if (message) form.setError(field, { type: 'server', message });
    }
  }
  const top = rest ?? (Object.keys(byField).length ? options.marked : undefined);
  if (top) form.setError('root', { type: 'server', message: top });
  const first = fields.find((f) => byField[f]);
  if (first) document.getElementById(fieldId(first))?.focus();
}

/**
 * Every reason inside a part of a form's errors, with its path relative to that part
 * ("mon.0.start"), as the calling-window and outcome-rules editors take them.
 */
export function problemsIn(errors: unknown, path = ''): FieldProblem[] {
  if (!errors || typeof errors !== 'object' || 'nodeType' in errors) return [];
  const found: FieldProblem[] = [];
  if ('message' in errors && typeof errors.message === 'string' && errors.message) {
    found.push({ path, message: errors.message });
  }
  for (const [key, inner] of Object.entries(errors)) {
    if (key === 'ref' || key === 'message' || key === 'type' || key === 'types') continue;
    found.push(...problemsIn(inner, key === 'root' ? path : path ? `${path}.${key}` : key));
  }
  return found;
}

/** The message on top of a refused form, or nothing. */
export function FormError({ message }: { message: string | null | undefined }) {
  if (!message) return null;
  return (
    <Alert variant="destructive" data-testid="form-error">
      <AlertCircleIcon aria-hidden="true" />
      <p>{message}</p>
    </Alert>
  );
}
