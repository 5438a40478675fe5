import { CallLogListQuery, CallLogSchema } from '../../../contracts/call-logs.contract.ts';
import { errors, IdParams, listOf } from '../../../contracts/common.ts';
import * as callLogs from '../../services/call-logs.service.ts';
import type { App, RouteDeps } from '../app.ts';
import { actorOf } from '../plugins/auth.ts';

export function callLogsRoutes(app: App, { ctx }: RouteDeps): void {
  app.get(
    '/call-logs',
    {
      schema: {
        tags: ['Call logs'],
        summary: 'Calls, newest first; filter by contact, agent, campaign, outcome, time',
        querystring: CallLogListQuery,
        response: { 200: listOf(CallLogSchema), ...errors() },
      },
    },
    async (request) => callLogs.listCallLogs(ctx, actorOf(request), request.query),
  );

  app.get(
    '/call-logs/:id',
    {
      schema: {
        tags: ['Call logs'],
        summary: 'One call',
        params: IdParams,
        response: { 200: CallLogSchema, ...errors(404) },
      },
    },
    async (request) => callLogs.getCallLog(ctx, actorOf(request), request.params.id),
  );
}
