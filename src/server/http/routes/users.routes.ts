import { errors, IdParams, listOf } from '../../../contracts/common.ts';
import {
  CreatedUser,
  CreateUserBody,
  PatchUserBody,
  UserSchema,
} from '../../../contracts/users.contract.ts';
import * as users from '../../services/users.service.ts';
import type { App, RouteDeps } from '../app.ts';
import { actorOf } from '../plugins/auth.ts';

export function usersRoutes(app: App, { ctx }: RouteDeps): void {
  app.get(
    '/users',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['Users'],
        summary: 'Users of the workspace, oldest first (admin)',
        response: { 200: listOf(UserSchema), ...errors(403) },
      },
    },
    async (request) => users.listUsers(ctx, actorOf(request)),
  );

  app.post(
    '/users',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['Users'],
        summary: 'Invite a user; the one-time password is in this response only (admin)',
        body: CreateUserBody,
        response: { 201: CreatedUser, ...errors(403, 409) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await users.createUser(ctx, actorOf(request), request.body)),
  );

  app.patch(
    '/users/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['Users'],
        summary:
          'Rename, change role, deactivate (signs out everywhere) or reactivate a user; the ' +
          'last active admin stays an active admin (admin)',
        params: IdParams,
        body: PatchUserBody,
        response: { 200: UserSchema, ...errors(403, 404, 409) },
      },
    },
    async (request) => users.updateUser(ctx, actorOf(request), request.params.id, request.body),
  );

  app.post(
    '/users/:id/reset-password',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['Users'],
        summary:
          'Give a user a new one-time password: they are signed out everywhere and choose a ' +
          'password of their own at the next sign-in. The password is in this response only (admin)',
        params: IdParams,
        response: { 200: CreatedUser, ...errors(403, 404) },
      },
    },
    async (request) => users.resetPassword(ctx, actorOf(request), request.params.id),
  );
}
