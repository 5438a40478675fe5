import type { Readable } from 'node:stream';
import { z } from 'zod';
import { errors, IdParams, listOf } from '../../../contracts/common.ts';
import {
  ImportJobSchema,
  ImportKindSchema,
  ImportMappingBody,
  ImportReviewSchema,
  UploadedImportSchema,
  UploadImportQuery,
} from '../../../contracts/imports.contract.ts';
import { ProblemError } from '../../errors.ts';
import { importErrorsCsv } from '../../services/imports/import-errors-csv.ts';
import {
  DEFAULT_MAX_UPLOAD_BYTES,
  deleteImport,
  drainImports,
  getImport,
  listImports,
  reviewImport,
  startImport,
  tooLarge,
  type UploadOptions,
  uploadImport,
} from '../../services/imports/import-jobs.ts';
import type { App, RouteDeps } from '../app.ts';
import { actorOf } from '../plugins/auth.ts';

const TAGS = ['Imports'];

export function importsRoutes(app: App, { ctx }: RouteDeps, options: UploadOptions = {}): void {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  // CSV bodies reach the route as a stream: they are written to disk, never held in memory.
  app.addContentTypeParser(['text/csv', 'application/csv'], (request, payload, done) => {
    const length = Number(request.headers['content-length']);
    if (length > maxBytes) {
      done(tooLarge(maxBytes));
      return;
    }
    done(null, payload);
  });
  app.addHook('onClose', () => drainImports());

  app.delete(
    '/imports/:id',
    {
      config: { access: 'operator' },
      schema: {
        tags: TAGS,
        summary: 'Delete an import that was uploaded and never started, with its file',
        params: IdParams,
        response: { 204: z.null(), ...errors(403, 404, 409) },
      },
    },
    async (request, reply) => {
      await deleteImport(ctx, actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/imports',
    {
      config: { access: 'operator' },
      schema: {
        tags: TAGS,
        summary:
          'Upload a CSV file (body text/csv, at most 100 MB): answers its columns, first rows and a suggested mapping. ' +
          'A workspace keeps at most 20 uploads never started (1 GB in all; 409 beyond); they are deleted after 24 hours',
        querystring: UploadImportQuery,
        response: { 201: UploadedImportSchema, ...errors(403, 409) },
      },
    },
    async (request, reply) => {
      if (!request.body || typeof (request.body as Readable).pipe !== 'function') {
        throw new ProblemError(
          415,
          'unsupported-media-type',
          'Unsupported media type',
          'Send the file as the body, with Content-Type: text/csv.',
        );
      }
      const job = await uploadImport(
        ctx,
        actorOf(request),
        request.query,
        request.body as Readable,
        { ...options, maxBytes },
      );
      return reply.code(201).send(job);
    },
  );

  app.get(
    '/imports',
    {
      schema: {
        tags: TAGS,
        summary: 'The 20 latest imports, newest first',
        querystring: z.strictObject({ kind: ImportKindSchema.optional() }),
        response: { 200: listOf(ImportJobSchema), ...errors() },
      },
    },
    async (request) => listImports(ctx, actorOf(request), request.query.kind),
  );

  app.get(
    '/imports/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'One import: status, progress, counts and the first row errors',
        params: IdParams,
        response: { 200: ImportJobSchema, ...errors(404) },
      },
    },
    async (request) => getImport(ctx, actorOf(request), request.params.id),
  );

  app.post(
    '/imports/:id/review',
    {
      config: { access: 'operator' },
      schema: {
        tags: TAGS,
        summary: 'Count what the import would do with this mapping, without writing',
        params: IdParams,
        body: ImportMappingBody,
        response: { 200: ImportReviewSchema, ...errors(403, 404, 409) },
      },
    },
    async (request) => reviewImport(ctx, actorOf(request), request.params.id, request.body.mapping),
  );

  app.post(
    '/imports/:id/start',
    {
      config: { access: 'operator' },
      schema: {
        tags: TAGS,
        summary: 'Run the import in the background with this mapping; follow it with GET',
        params: IdParams,
        body: ImportMappingBody,
        response: { 202: ImportJobSchema, ...errors(403, 404, 409) },
      },
    },
    async (request, reply) =>
      reply
        .code(202)
        .send(
          await startImport(
            ctx,
            actorOf(request),
            request.params.id,
            request.body.mapping,
            (error) =>
              request.log.error({ err: error, importId: request.params.id }, 'import failed'),
          ),
        ),
  );

  app.get(
    '/imports/:id/errors.csv',
    {
      schema: {
        tags: TAGS,
        summary: 'The rows that were not imported, as CSV (line, reason)',
        params: IdParams,
        response: { 200: z.string().describe('text/csv'), ...errors(404) },
      },
    },
    async (request, reply) => {
      const csv = await importErrorsCsv(ctx, actorOf(request), request.params.id);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${csv.fileName}"`)
        .send(csv.body as unknown as string);
    },
  );
}
