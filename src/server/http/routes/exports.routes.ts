import type { FastifyReply } from 'fastify';
import { errors } from '../../../contracts/common.ts';
import {
  CallLogExportQuery,
  CsvBody,
  FollowUpExportQuery,
} from '../../../contracts/exports.contract.ts';
import { type CsvExport, exportCallLogs, exportFollowUps } from '../../services/exports.service.ts';
import type { App, RouteDeps } from '../app.ts';
import { actorOf } from '../plugins/auth.ts';

/** Sends a CSV export as a download; the body streams as it is read from the database. */
function download(reply: FastifyReply, csv: CsvExport): void {
  reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${csv.fileName}"`)
    .header('cache-control', 'no-store')
    .send(csv.body);
}

export function exportsRoutes(app: App, { ctx }: RouteDeps): void {
  app.get(
    '/follow-ups/export.csv',
    {
      schema: {
        tags: ['Follow-ups'],
        summary:
          'Every follow-up the list API returns for these filters, in the same order, as a CSV ' +
          'download (no limit or cursor)',
        produces: ['text/csv'],
        querystring: FollowUpExportQuery,
        response: { 200: CsvBody, ...errors() },
      },
    },
    async (request, reply) => {
      download(reply, await exportFollowUps(ctx, actorOf(request), request.query));
      return reply;
    },
  );

  app.get(
    '/call-logs/export.csv',
    {
      schema: {
        tags: ['Call logs'],
        summary:
          'Every call the list API returns for these filters, newest first, as a CSV download ' +
          '(no limit or cursor)',
        produces: ['text/csv'],
        querystring: CallLogExportQuery,
        response: { 200: CsvBody, ...errors() },
      },
    },
    async (request, reply) => {
      download(reply, await exportCallLogs(ctx, actorOf(request), request.query));
      return reply;
    },
  );
}
