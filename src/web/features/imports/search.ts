import { IdParams } from '../../../contracts/common.ts';
import { searchValidator } from '../../lib/search.ts';

/** /contacts/import?job=…: the import being mapped or run, an id as the API's routes take it. */
export const validateImportSearch = searchValidator({ job: IdParams.shape.id });
export type ImportSearch = ReturnType<typeof validateImportSearch>;
