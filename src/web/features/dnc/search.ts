import { ListDncQuery } from '../../../contracts/dnc.contract.ts';
import { searchValidator } from '../../lib/search.ts';

/** /dnc?q=…: the search the API's Do Not Call list takes. */
export const validateDncSearch = searchValidator({ q: ListDncQuery.shape.q });
export type DncSearch = ReturnType<typeof validateDncSearch>;
