/**
 * A refused form submission, shown where people look: each problem beside its field (the first
 * such field focused), the rest in one alert on top of the form.
 */
import { AlertCircleIcon } from 'lucide-react';
import type { FieldPath, FieldValues, UseFormSetError } from 'react-hook-form';
import { ApiError, errorMessage } from '../lib/api.ts';
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
 */
export function showRefusal<T extends FieldValues, F extends FieldPath<T>>(
  form: { setError: UseFormSetError<T> },
  fields: readonly F[],
  error: unknown,
  fieldId: (name: F) => string,
): void {
  const { byField, rest } = splitErrors(error, fields);
  for (const field of fields) {
    const message = byField[field];
    if (message) form.setError(field, { type: 'server', message });
  }
  if (rest) form.setError('root', { type: 'server', message: rest });
  const first = fields.find((f) => byField[f]);
  if (first) document.getElementById(fieldId(first))?.focus();
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
