import { z } from 'zod';
import {
  ApiKeySchema,
  ChangePasswordBody,
  CreateApiKeyBody,
  CreatedApiKey,
  LoginBody,
  MeResponse,
} from '../../../contracts/auth.contract.ts';
import { errors, IdParams, listOf } from '../../../contracts/common.ts';
import { ProblemError } from '../../errors.ts';
import * as auth from '../../services/auth.service.ts';
import type { App, RouteDeps } from '../app.ts';
import { actorOf, checkSameOrigin, SESSION_COOKIE } from '../plugins/auth.ts';
import { signInLimits } from '../sign-in-limits.ts';

export function authRoutes(app: App, { ctx, loginLimits, secureCookies }: RouteDeps): void {
  const limits = signInLimits(app, loginLimits);
  app.post(
    '/auth/login',
    {
      config: { access: 'public' },
      schema: {
        tags: ['Sign-in'],
        summary: 'Sign in: sets the session cookie',
        security: [],
        body: LoginBody,
        response: { 200: MeResponse, ...errors(409, 429) },
      },
    },
    async (request, reply) => {
      if (request.headers.origin || request.headers['sec-fetch-site']) checkSameOrigin(request);
      await limits.attemptFromAddress(request, reply);
      await limits.checkFailures(request, reply);
      const session = await auth
        .login(ctx, request.body.email, request.body.password, request.body.workspaceId)
        .catch(async (error: unknown) => {
          // A choice of workspaces is not a failed attempt: the password was right.
          if (!(error instanceof ProblemError && error.slug === 'choose-workspace')) {
            await limits.failed(request);
          }
          throw error;
        });
      // Another account with this email refused the password: a guess at it, like a failure.
      if (session.othersRefused) await limits.failed(request);
      reply.setCookie(SESSION_COOKIE, session.token, {
        httpOnly: true,
        sameSite: 'lax',
        secure: secureCookies || request.protocol === 'https',
        path: '/',
        expires: session.cookieExpiresAt,
      });
      return auth.me(ctx, session.actor);
    },
  );

  app.post(
    '/auth/logout',
    {
      config: { access: 'public' },
      schema: {
        tags: ['Sign-in'],
        summary: 'Sign out: ends the session',
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) {
        checkSameOrigin(request);
        await auth.logout(ctx, token);
      }
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/me',
    {
      config: { passwordChange: true },
      schema: {
        tags: ['Sign-in'],
        summary: 'Who is signed in, and in which workspace',
        response: { 200: MeResponse, ...errors() },
      },
    },
    async (request) => auth.me(ctx, actorOf(request)),
  );

  app.post(
    '/auth/password',
    {
      config: { access: 'viewer', passwordChange: true },
      schema: {
        tags: ['Sign-in'],
        summary: 'Change your password (the current one first); your other sessions are signed out',
        body: ChangePasswordBody,
        response: { 204: z.null(), ...errors(403, 429) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      // Guessing the current password from a stolen session is slowed like sign-in.
      await limits.checkFailures(request, reply);
      await auth
        .changePassword(ctx, actor, request.cookies[SESSION_COOKIE], request.body)
        .catch(async (error: unknown) => {
          await limits.failed(request);
          throw error;
        });
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api-keys',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['API keys'],
        summary: 'API keys of the workspace (admin)',
        response: { 200: listOf(ApiKeySchema), ...errors(403) },
      },
    },
    async (request) => auth.listApiKeys(ctx, actorOf(request)),
  );

  app.post(
    '/api-keys',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['API keys'],
        summary: 'Create an API key; the key is in this response only (admin)',
        body: CreateApiKeyBody,
        response: { 201: CreatedApiKey, ...errors(403) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await auth.createApiKey(ctx, actorOf(request), request.body)),
  );

  app.delete(
    '/api-keys/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['API keys'],
        summary: 'Revoke an API key (admin)',
        params: IdParams,
        response: { 200: ApiKeySchema, ...errors(403, 404) },
      },
    },
    async (request) => auth.revokeApiKey(ctx, actorOf(request), request.params.id),
  );
}
