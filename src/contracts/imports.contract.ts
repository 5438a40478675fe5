/**
 * CSV imports of contacts and of the Do Not Call list: upload, review, start, progress, errors.
 */
import { z } from 'zod';
import { InstantOut } from './common.ts';

export const ImportKindSchema = z.enum(['contacts', 'dnc']);

export const UploadImportQuery = z.strictObject({
  kind: ImportKindSchema.describe('contacts, or dnc for the Do Not Call list'),
  fileName: z
    .string()
    .trim()
    .min(1, 'Give the name of the file.')
    .max(255, 'The file name can be at most 255 characters.'),
});
export type UploadImportQuery = z.infer<typeof UploadImportQuery>;

export const ImportMappingSchema = z
  .record(z.string().max(200), z.string().max(120))
  .describe(
    'CSV column → field: phone, firstName, lastName, email, company, timezone or custom:<key> ' +
      '(contacts); phone, reason (dnc). Columns left out are not imported.',
  );

export const ImportMappingBody = z.strictObject({ mapping: ImportMappingSchema });
export type ImportMappingBody = z.infer<typeof ImportMappingBody>;

export const RowProblemSchema = z.object({
  line: z.number().int().describe('Line of the CSV file (the header is line 1)'),
  reason: z.string(),
});

export const ImportJobSchema = z.object({
  id: z.string(),
  kind: ImportKindSchema,
  status: z
    .enum(['uploaded', 'running', 'completed', 'failed'])
    .describe('A running import whose server stopped is reported as failed'),
  fileName: z.string(),
  fileBytes: z.number().int(),
  headers: z.array(z.string()),
  mapping: ImportMappingSchema.nullable(),
  totalRows: z.number().int().nullable(),
  processedRows: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  skipped: z.number().int().describe('Rows identical to what is stored already'),
  errorCount: z.number().int(),
  firstErrors: z.array(RowProblemSchema).describe('The first 20 rows that were not imported'),
  failure: z.string().nullable(),
  startedAt: InstantOut.nullable(),
  finishedAt: InstantOut.nullable(),
  createdAt: InstantOut,
});
export type ImportJob = z.infer<typeof ImportJobSchema>;

export const UploadedImportSchema = ImportJobSchema.extend({
  sample: z.array(z.array(z.string())).describe('The first rows of the file'),
  suggestedMapping: ImportMappingSchema,
});
export type UploadedImport = z.infer<typeof UploadedImportSchema>;

export const ImportReviewSchema = z.object({
  totalRows: z.number().int(),
  toImport: z.object({
    new: z.number().int(),
    update: z.number().int(),
    unchanged: z.number().int(),
  }),
  invalidPhones: z.number().int().describe('Rows without a valid phone number'),
  duplicates: z.number().int().describe('Rows repeating a phone of an earlier line'),
  errorCount: z.number().int().describe('Rows that will not be imported, for any reason'),
  problems: z.array(RowProblemSchema).describe('The first 20'),
});
export type ImportReview = z.infer<typeof ImportReviewSchema>;
