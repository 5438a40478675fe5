import { createRequire } from 'node:module';
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

export interface LoggerOptions {
  /** One readable line per entry instead of JSON (default: when standard output is a terminal). */
  pretty?: boolean;
  /** Where entries go (default: standard output). */
  destination?: NodeJS.WritableStream;
}

/**
 * Structured logs; secrets are redacted wherever they might appear. On a terminal each entry is
 * one readable line (pino-pretty, loaded only then); elsewhere JSON lines for a log collector.
 */
export function createLogger(
  level: string,
  name = 'followthrough',
  options: LoggerOptions = {},
): Logger {
  const pretty = options.pretty ?? process.stdout.isTTY === true;
  return pino(
    {
      name,
      level,
      serializers: { err: errorForLog },
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'res.headers["set-cookie"]',
          '*.password',
          '*.passwordHash',
          '*.secret',
          '*.token',
        ],
        censor: '[redacted]',
      },
    },
    pretty ? prettyStream(options.destination) : (options.destination as DestinationStream),
  );
}

function prettyStream(destination: NodeJS.WritableStream | undefined): DestinationStream {
  const build = createRequire(import.meta.url)('pino-pretty') as typeof import('pino-pretty');
  return build({
    sync: true,
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,name,reqId,req,res,responseTime',
    // A request line reads "request refused: GET /api/x → 404 in 3 ms".
    messageFormat: (log, messageKey) => {
      const req = log.req as { method?: string; url?: string } | undefined;
      const res = log.res as { statusCode?: number } | undefined;
      const message = String(log[messageKey] ?? '');
      if (!req) return message;
      const status = res?.statusCode === undefined ? '' : ` → ${res.statusCode}`;
      const ms = typeof log.responseTime === 'number' ? ` in ${log.responseTime} ms` : '';
      return `${message}: ${req.method} ${req.url}${status}${ms}`;
    },
    ...(destination ? { destination } : {}),
  });
}

/**
 * An error as the log keeps it: its kind, message, code and stack, without the values a
 * database error carries. A failed query's message lists its parameters (workspace ids,
 * phones, hashes) and PostgreSQL's `detail` quotes the row; neither is written.
 */
export function errorForLog(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const e = error as Error & Record<string, unknown>;
  const out: Record<string, unknown> = { type: e.name, message: e.message };
  if (typeof e.query === 'string' && 'params' in e) {
    // drizzle's DrizzleQueryError: "Failed query: <sql>\nparams: <values>".
    out.message = 'Failed query';
    out.query = e.query;
  }
  for (const key of ['code', 'severity', 'table', 'column', 'constraint', 'routine']) {
    if (typeof e[key] === 'string') out[key] = e[key];
  }
  // The database's own message may quote a value ("value "+1212…" is out of range"): its code,
  // routine and constraint say what happened without it.
  if (typeof e.severity === 'string' && typeof e.code === 'string') {
    out.message = `database error ${e.code}`;
  }
  if (e.stack) {
    out.stack = e.stack
      .split('\n')
      .filter((line) => line.trimStart().startsWith('at '))
      .join('\n');
  }
  if (e.cause !== undefined) out.cause = errorForLog(e.cause);
  return out;
}
