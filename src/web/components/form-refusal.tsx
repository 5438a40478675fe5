/**
 * A refused form submission, shown where people look: each problem beside its field (the first
 * such field focused), the rest in one alert on top of the form.
 */
import { AlertCircleIcon } from 'lucide-react';
import { useState } from 'react';
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

/** The field errors and the top message of a form, with what sets and clears them. */
export function useFormRefusal<F extends string>(
  fields: readonly F[],
  fieldId: (name: F) => string,
) {
  const [errors, setErrors] = useState<Partial<Record<F, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  return {
    errors,
    formError,
    clear() {
      setErrors({});
      setFormError(null);
    },
    show(error: unknown) {
      const { byField, rest } = splitErrors(error, fields);
      setErrors(byField);
      setFormError(rest);
      const first = fields.find((f) => byField[f]);
      if (first) document.getElementById(fieldId(first))?.focus();
    },
  };
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
