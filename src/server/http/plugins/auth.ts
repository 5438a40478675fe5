/**
 * Who is calling: a session cookie (the web app) or `Authorization: Bearer <API key>`.
 * Each route declares the least role it needs in `config.access` (default: any signed-in role).
 * State-changing requests made with the cookie must come from the app's own origin.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Role } from '../../../core/roles.ts';
import { forbidden, ProblemError, unauthenticated } from '../../errors.ts';
import { actorFromApiKey, actorFromSession } from '../../services/auth.service.ts';
import { type Actor, roleAllows, type ServiceContext } from '../../services/context.ts';

export type Access = 'public' | Role;

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    /** What the actor was known by: checked again while a live stream stays open. */
    credential: Credential | null;
  }
  interface FastifyContextConfig {
    access?: Access;
    /** Open to a user who must change their one-time password (who am I, the change). */
    passwordChange?: boolean;
  }
}

export const SESSION_COOKIE = 'ft_session';

export type Credential = { kind: 'session'; token: string } | { kind: 'api_key'; key: string };

/** Who a credential is now: null once it is revoked, signed out, expired or deactivated. */
export function actorFromCredential(
  ctx: ServiceContext,
  credential: Credential,
): Promise<Actor | null> {
  return credential.kind === 'session'
    ? actorFromSession(ctx, credential.token)
    : actorFromApiKey(ctx, credential.key);
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Routes under /api need a signed-in role unless they say otherwise; pages are public. */
function accessOf(request: FastifyRequest): Access {
  const url = request.routeOptions.url;
  if (url === undefined) return 'public'; // no such route: let it be a 404
  return request.routeOptions.config?.access ?? (url.startsWith('/api/') ? 'viewer' : 'public');
}

/** The actor of a request whose route needs one; throws 401/403 as problem+json. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw unauthenticated();
  return request.actor;
}

export function registerAuth(app: FastifyInstance, ctx: ServiceContext): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('credential', null);
  app.addHook('onRequest', async (request) => {
    const access = accessOf(request);
    if (access === 'public') return;
    const authorization = request.headers.authorization;
    let actor: Actor | null = null;
    if (authorization !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization);
      actor = match ? await actorFromApiKey(ctx, match[1]!) : null;
      if (!actor) throw unauthenticated('The API key is not valid, or it was revoked.');
      request.credential = { kind: 'api_key', key: match![1]! };
    } else {
      const token = request.cookies[SESSION_COOKIE];
      actor = token ? await actorFromSession(ctx, token) : null;
      if (!actor) throw unauthenticated();
      request.credential = { kind: 'session', token: token! };
      if (!SAFE_METHODS.has(request.method)) checkSameOrigin(request);
    }
    if (!roleAllows(actor.role, access)) {
      throw forbidden(
        `This needs the ${access} role; ${actor.kind === 'user' ? 'you are' : 'this API key is'} ${actor.role === 'admin' ? 'an' : 'a'} ${actor.role}.`,
      );
    }
    if (actor.mustChangePassword && !request.routeOptions.config?.passwordChange) {
      throw new ProblemError(
        403,
        'password-change-required',
        'Password change required',
        'You signed in with a one-time password: choose a password of your own first ' +
          '(POST /api/auth/password).',
      );
    }
    request.actor = actor;
  });
}

/**
 * A cookie travels with cross-site requests too; only requests that the browser marks as
 * same-origin (Sec-Fetch-Site) or whose Origin is this server may change anything.
 */
export function checkSameOrigin(request: FastifyRequest): void {
  const site = request.headers['sec-fetch-site'];
  if (site === 'same-origin') return;
  if (site && site !== 'none') {
    throw forbidden('Cross-site requests cannot change anything. Use the app, or an API key.');
  }
  const origin = request.headers.origin;
  if (origin) {
    // X-Forwarded-Host counts only from a trusted proxy (FOLLOWTHROUGH_TRUST_PROXY).
    const host = request.host ?? '';
    try {
      const from = new URL(origin);
      const defaultPort = from.protocol === 'https:' ? ':443' : ':80';
      if (from.host === host || `${from.host}${defaultPort}` === host) return;
    } catch {
      // fall through
    }
    throw forbidden(`Requests from ${origin} cannot change anything here.`);
  }
  throw forbidden(
    'A signed-in request that changes something must say where it comes from (Origin header). ' +
      'Scripts should use an API key instead of the session cookie.',
  );
}
