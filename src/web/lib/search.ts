/**
 * Search params as plain `?a=b&c=d` (the router's default would JSON-quote strings that look
 * like numbers). Every screen's params are strings; each route's validateSearch types them with
 * the API contract's own schemas (`searchValidator`).
 */
import type { z } from 'zod';

export function parseSearch(search: string): Record<string, unknown> {
  const params = new URLSearchParams(search.startsWith('?') ? search.slice(1) : search);
  const result: Record<string, string> = {};
  for (const [key, value] of params) result[key] = value;
  return result;
}

export function stringifySearch(search: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(search)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, Array.isArray(value) ? value.join(',') : String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * A route's validateSearch built from the contract's schemas, one per param: a param its schema
 * accepts is kept (as the schema outputs it), any other is dropped, so a hand-edited or stale
 * URL still opens the screen with the filters that make sense.
 */
export function searchValidator<S extends Record<string, z.ZodType>>(schemas: S) {
  return (search: Record<string, unknown>): { [K in keyof S]?: z.output<S[K]> } => {
    const result: { [K in keyof S]?: z.output<S[K]> } = {};
    for (const key of Object.keys(schemas) as (keyof S)[]) {
      const parsed = (schemas[key] as z.ZodType).safeParse(search[key as string]);
      if (parsed.success && parsed.data !== undefined) {
        result[key] = parsed.data as z.output<S[typeof key]>;
      }
    }
    return result;
  };
}
