/**
 * Password guessing is slowed with @fastify/rate-limit (the API's own limit is the same plugin):
 * - per client address (`request.ip`, which follows FOLLOWTHROUGH_TRUST_PROXY; an IPv6 client by
 *   its /64), every sign-in attempt counts;
 * - per email, and per user for a password change, the failed attempts count: a person who signs
 *   in often is never locked out by their own successes.
 * Each is a 15-minute window; beyond it a 429 problem with Retry-After. In process memory: behind
 * several `serve` processes each counts on its own.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import ipaddr from 'ipaddr.js';
import { countOf } from '../../core/plural.ts';
import { tooManyRequests } from '../errors.ts';

const WINDOW_MS = 15 * 60_000;

/** The client address as a count's key: IPv4 as is, IPv6 by its /64 (one subscriber's network). */
export function addressKey(ip: string): string {
  if (!ipaddr.isValid(ip)) return `ip:${ip}`;
  const address = ipaddr.process(ip);
  if (address.kind() === 'ipv4') return `ip:${address.toString()}`;
  return `ip6:${(address as ipaddr.IPv6).toNormalizedString().split(':').slice(0, 4).join(':')}`;
}

type Limiter = ReturnType<FastifyInstance['createRateLimit']>;

export interface SignInLimits {
  /** Counts a sign-in attempt from the client's address; throws 429 beyond the limit. */
  attemptFromAddress(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  /** Throws 429 when this email (or, signed in, this user) has had too many failures. */
  checkFailures(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  /** Counts a failed attempt for this email or user. */
  failed(request: FastifyRequest): Promise<void>;
}

const accountKey = (request: FastifyRequest) =>
  request.url.startsWith('/api/auth/login')
    ? `email:${String((request.body as { email?: unknown }).email ?? '').toLowerCase()}`
    : `user:${request.actor?.id ?? ''}`;

/** Limiters made with the plugin registered on `app` (its `createRateLimit`). */
export function signInLimits(
  app: FastifyInstance,
  limits: { perEmail: number; perIp: number },
): SignInLimits {
  const make = (max: number, keyGenerator: (request: FastifyRequest) => string): Limiter =>
    app.createRateLimit({
      max,
      timeWindow: WINDOW_MS,
      keyGenerator,
      allowList: [], // the API limit's allow list does not apply here
      ...{ cache: 50_000 },
    });
  const byAddress = make(limits.perIp, (request) => addressKey(request.ip));
  const byAccount = make(limits.perEmail, accountKey);

  const refuse = (reply: FastifyReply, seconds: number, detail: string): never => {
    reply.header('retry-after', String(Math.max(1, seconds)));
    throw tooManyRequests(detail);
  };
  const inMinutes = (seconds: number) =>
    `Try again in ${countOf(Math.max(1, Math.ceil(seconds / 60)), 'minute')}.`;

  return {
    async attemptFromAddress(request, reply) {
      const result = await byAddress(request);
      if (!result.isAllowed && result.isExceeded) {
        refuse(
          reply,
          result.ttlInSeconds,
          `Too many sign-in attempts. ${inMinutes(result.ttlInSeconds)}`,
        );
      }
    },
    async checkFailures(request, reply) {
      const result = await byAccount(request, { increment: false });
      if (!result.isAllowed && result.remaining === 0) {
        const what = request.actor ? 'Too many attempts.' : 'Too many sign-in attempts.';
        refuse(reply, result.ttlInSeconds, `${what} ${inMinutes(result.ttlInSeconds)}`);
      }
    },
    async failed(request) {
      await byAccount(request);
    },
  };
}
