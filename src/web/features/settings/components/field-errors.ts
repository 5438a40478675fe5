import { ApiError, errorMessage } from '../../../lib/api.ts';

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
