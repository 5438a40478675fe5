/**
 * PostgreSQL text cannot hold the NUL character (U+0000): a string carrying one would fail deep
 * in a query as a 500. Every JSON body and query string is checked once, before validation, and
 * refused with a 400 at the field that carries it.
 */
import { Stream } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { invalid } from '../../errors.ts';

/** How deep a JSON body or query string may nest; no route needs more than a few levels. */
export const MAX_DEPTH = 32;

export type InputProblem = { kind: 'nul' | 'depth'; path: string[] };

/**
 * The first problem under `value`: a string (or key) that contains U+0000, or nesting deeper than
 * MAX_DEPTH. Iterative, so a body nested thousands of levels deep is refused, not a stack overflow.
 */
export function inputProblem(value: unknown, root: string[] = []): InputProblem | null {
  const stack: { value: unknown; path: string[] }[] = [{ value, path: root }];
  while (stack.length > 0) {
    const { value: current, path } = stack.pop()!;
    if (typeof current === 'string') {
      if (current.includes('\u0000')) return { kind: 'nul', path };
      continue;
    }
    if (!isPlainData(current)) continue;
    if (path.length - root.length >= MAX_DEPTH) return { kind: 'depth', path };
    const entries = Object.entries(current);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i]!;
      if (key.includes('\u0000')) return { kind: 'nul', path: [...path, key] };
      stack.push({ value: child, path: [...path, key] });
    }
  }
  return null;
}

/** The path of the first string under `value` that contains U+0000, or null. */
export function pathOfNul(value: unknown, path: string[] = []): string[] | null {
  const problem = inputProblem(value, path);
  return problem?.kind === 'nul' ? problem.path : null;
}

/** Parsed JSON or a parsed query string; not a stream (CSV uploads) or a buffer. */
function isPlainData(value: unknown): value is object {
  if (value === null || typeof value !== 'object') return false;
  return !(value instanceof Stream) && !ArrayBuffer.isView(value);
}

export function registerTextInputCheck(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const problem = inputProblem(request.body) ?? inputProblem(request.query, ['query']);
    if (!problem) return;
    const path = problem.path.join('.');
    const message =
      problem.kind === 'nul'
        ? 'Remove the NUL character (\\u0000): text cannot contain it.'
        : `Nested too deeply: at most ${MAX_DEPTH} levels of objects and arrays.`;
    throw invalid(`${path || 'The body'}: ${message}`, [{ path: path || 'body', message }]);
  });
}
