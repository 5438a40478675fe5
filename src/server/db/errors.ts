/** What the database's errors mean, read from their SQLSTATE codes. */

/** True when `error` (or its cause, as drizzle wraps driver errors) breaks `constraint`. */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  let e: unknown = error;
  for (let depth = 0; depth < 5 && e && typeof e === 'object'; depth++) {
    const { code, constraint: name, message } = e as Record<string, unknown>;
    if (code === '23505') {
      return name === constraint || (typeof message === 'string' && message.includes(constraint));
    }
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
