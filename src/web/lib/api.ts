/**
 * The one way the web app talks to the server: JSON over fetch with the session cookie.
 * Every failure becomes an ApiError that carries the problem+json the server sent (RFC 9457),
 * so screens can show `detail` and put `errors[]` next to their fields.
 */

export interface FieldProblem {
  path: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  readonly errors: FieldProblem[];
  readonly type: string;
  /** `/problems/choose-workspace` (sign-in): the workspaces to choose from. */
  readonly workspaces: { id: string; name: string }[];

  constructor(init: {
    status: number;
    title: string;
    detail: string;
    errors?: FieldProblem[];
    type?: string;
    workspaces?: { id: string; name: string }[];
  }) {
    super(init.detail || init.title);
    this.name = 'ApiError';
    this.status = init.status;
    this.title = init.title;
    this.detail = init.detail;
    this.errors = init.errors ?? [];
    this.type = init.type ?? 'about:blank';
    this.workspaces = init.workspaces ?? [];
  }

  /** The message of the first problem at `path` (or inside it), if any. */
  fieldMessage(path: string): string | undefined {
    return this.errors.find((e) => e.path === path || e.path.startsWith(`${path}.`))?.message;
  }
}

/** The problems under `prefix` ('callingWindow'), with their paths made relative to it. */
export function problemsUnder(errors: FieldProblem[], prefix: string): FieldProblem[] {
  return errors
    .filter((e) => e.path === prefix || e.path.startsWith(`${prefix}.`))
    .map((e) => ({ ...e, path: e.path.slice(prefix.length + 1) }));
}

export function isApiError(error: unknown, status?: number): error is ApiError {
  return error instanceof ApiError && (status === undefined || error.status === status);
}

/** A sentence for people, whatever was thrown. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.detail || error.title;
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}

export type QueryValue = string | number | boolean | null | undefined;

export function buildQuery(params: Record<string, QueryValue> | undefined): string {
  if (!params) return '';
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  query?: Record<string, QueryValue>;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const { method = 'GET', query, body, headers = {}, signal } = options;
  const init: RequestInit = {
    method,
    credentials: 'same-origin',
    headers: { accept: 'application/json, application/problem+json', ...headers },
    signal,
  };
  if (body instanceof Blob) {
    // Files go as they are (a CSV upload is streamed by the server, not parsed as JSON).
    init.body = body;
    (init.headers as Record<string, string>)['content-type'] ??= body.type || 'text/csv';
  } else if (body !== undefined) {
    init.body = JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] = 'application/json';
  }
  let response: Response;
  try {
    response = await fetch(`/api${path}${buildQuery(query)}`, init);
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError({
      status: 0,
      title: 'Network error',
      detail: 'Could not reach the server. Check your connection and try again.',
    });
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!response.ok) throw toApiError(response, data);
  return data as T;
}

function toApiError(response: Response, data: unknown): ApiError {
  if (data && typeof data === 'object' && 'status' in data) {
    const p = data as Partial<{
      type: string;
      title: string;
      status: number;
      detail: string;
      errors: FieldProblem[];
      workspaces: { id: string; name: string }[];
    }>;
    return new ApiError({
      status: p.status ?? response.status,
      title: p.title ?? response.statusText,
      detail: p.detail ?? p.title ?? response.statusText,
      errors: Array.isArray(p.errors) ? p.errors : [],
      type: p.type,
      workspaces: Array.isArray(p.workspaces) ? p.workspaces : [],
    });
  }
  return new ApiError({
    status: response.status,
    title: response.statusText || 'Error',
    detail:
      response.status >= 500
        ? 'The server could not complete this request. Try again in a moment.'
        : `The server answered ${response.status} ${response.statusText}.`,
  });
}

/** Lists answer `{ items, nextCursor }` (SPEC §8). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
