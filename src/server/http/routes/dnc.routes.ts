import { z } from 'zod';
import { errors, IdParams, listOf } from '../../../contracts/common.ts';
import {
  AddDncBody,
  AddedDncEntrySchema,
  DncEntrySchema,
  ListDncQuery,
} from '../../../contracts/dnc.contract.ts';
import { addDnc, listDnc, removeDnc } from '../../services/dnc.service.ts';
import type { App, RouteDeps } from '../app.ts';
import { actorOf } from '../plugins/auth.ts';

export function dncRoutes(app: App, { ctx }: RouteDeps): void {
  app.get(
    '/dnc',
    {
      schema: {
        tags: ['Do Not Call'],
        summary: 'The Do Not Call list, newest first; q searches phone digits and contact names',
        querystring: ListDncQuery,
        response: { 200: listOf(DncEntrySchema), ...errors() },
      },
    },
    async (request) => listDnc(ctx, actorOf(request), request.query),
  );

  app.post(
    '/dnc',
    {
      config: { access: 'operator' },
      schema: {
        tags: ['Do Not Call'],
        summary:
          'Add a phone to the Do Not Call list: fails the contact’s open call and SMS follow-ups',
        body: AddDncBody,
        response: { 201: AddedDncEntrySchema, ...errors(403, 409) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await addDnc(ctx, actorOf(request), request.body)),
  );

  app.delete(
    '/dnc/:id',
    {
      config: { access: 'operator' },
      schema: {
        tags: ['Do Not Call'],
        summary: 'Remove a phone from the list (its failed follow-ups stay failed: Retry them)',
        params: IdParams,
        response: { 204: z.null(), ...errors(403, 404) },
      },
    },
    async (request, reply) => {
      await removeDnc(ctx, actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
}
