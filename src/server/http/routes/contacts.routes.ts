import { CallLogSchema } from '../../../contracts/call-logs.contract.ts';
import { errors, IdParams, listOf } from '../../../contracts/common.ts';
import {
  ContactCallLogsQuery,
  ContactDetailSchema,
  ContactListQuery,
  ContactSchema,
  CreateContactBody,
  PatchContactBody,
} from '../../../contracts/contacts.contract.ts';
import * as contacts from '../../services/contacts.service.ts';
import type { App, RouteDeps } from '../app.ts';
import { actorOf } from '../plugins/auth.ts';

export function contactsRoutes(app: App, { ctx }: RouteDeps): void {
  app.get(
    '/contacts',
    {
      schema: {
        tags: ['Contacts'],
        summary: 'Contacts, newest first; search by name, email or phone digits',
        querystring: ContactListQuery,
        response: { 200: listOf(ContactSchema), ...errors() },
      },
    },
    async (request) => contacts.listContacts(ctx, actorOf(request), request.query),
  );

  app.post(
    '/contacts',
    {
      config: { access: 'operator' },
      schema: {
        tags: ['Contacts'],
        summary: 'Create a contact (operator)',
        body: CreateContactBody,
        response: { 201: ContactDetailSchema, ...errors(403, 409) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await contacts.createContact(ctx, actorOf(request), request.body)),
  );

  app.get(
    '/contacts/:id',
    {
      schema: {
        tags: ['Contacts'],
        summary: 'One contact, with last call, talk time and recent campaign',
        params: IdParams,
        response: { 200: ContactDetailSchema, ...errors(404) },
      },
    },
    async (request) => contacts.getContact(ctx, actorOf(request), request.params.id),
  );

  app.patch(
    '/contacts/:id',
    {
      config: { access: 'operator' },
      schema: {
        tags: ['Contacts'],
        summary: 'Change the given fields of a contact, or archive it (operator)',
        params: IdParams,
        body: PatchContactBody,
        response: { 200: ContactDetailSchema, ...errors(403, 404, 409) },
      },
    },
    async (request) =>
      contacts.updateContact(ctx, actorOf(request), request.params.id, request.body),
  );

  app.get(
    '/contacts/:id/call-logs',
    {
      schema: {
        tags: ['Contacts', 'Call logs'],
        summary: "A contact's calls, newest first",
        params: IdParams,
        querystring: ContactCallLogsQuery,
        response: { 200: listOf(CallLogSchema), ...errors(404) },
      },
    },
    async (request) =>
      contacts.listContactCallLogs(ctx, actorOf(request), request.params.id, request.query),
  );
}
