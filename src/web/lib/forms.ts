/** Zod pieces the web app's forms share when they check what is typed with the contracts. */
import type { z } from 'zod';

/**
 * A refinement that puts what a contract schema says of a value on the value being checked,
 * path and all; `under` drops a leading path segment (a body's field, when the form edits only
 * that field). The value itself is kept as it is, so what is sent is what was checked.
 */
export function checkedBy(schema: z.ZodType, under?: string) {
  return (value: unknown, ctx: z.RefinementCtx) => {
    const result = schema.safeParse(value);
    for (const issue of result.error?.issues ?? []) {
      const path = under && issue.path[0] === under ? issue.path.slice(1) : issue.path;
      ctx.addIssue({ code: 'custom', message: issue.message, path });
    }
  };
}

/** "outcomeRules.0.delayMinutes" as a zod issue path: numbers for the list positions. */
export function pathSegments(path: string): (string | number)[] {
  return path ? path.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)) : [];
}
