/**
 * PostgreSQL text cannot hold the NUL character (U+0000): a string carrying one would fail deep
 * in a query as a 500. Every JSON body and query string is checked once, before validation, and
 * refused with a 400 at the field that carries it.
 */
import { Stream } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { invalid } from '../../errors.ts';

/** The path of the first string under `value` that contains U+0000, or null. */
export function pathOfNul(value: unknown, path: string[] = []): string[] | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (!isPlainData(value)) return null;
  for (const [key, child] of Object.entries(value)) {
    if (key.includes('\u0000')) return [...path, key];
    const found = pathOfNul(child, [...path, key]);
    if (found) return found;
  }
  return null;
}

/** Parsed JSON or a parsed query string; not a stream (CSV uploads) or a buffer. */
function isPlainData(value: unknown): value is object {
  if (value === null || typeof value !== 'object') return false;
  return !(value instanceof Stream) && !ArrayBuffer.isView(value);
}

export function registerTextInputCheck(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const inBody = pathOfNul(request.body);
    const inQuery = inBody ? null : pathOfNul(request.query, ['query']);
    const path = (inBody ?? inQuery)?.join('.');
    if (path === undefined) return;
    const message = 'Remove the NUL character (\\u0000): text cannot contain it.';
    throw invalid(`${path || 'The body'}: ${message}`, [{ path: path || 'body', message }]);
  });
}
