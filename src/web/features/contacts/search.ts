import { ContactListQuery } from '../../../contracts/contacts.contract.ts';
import { searchValidator } from '../../lib/search.ts';

/** /contacts?q=…: the search the API's contact list takes. */
export const validateContactsSearch = searchValidator({ q: ContactListQuery.shape.q });
export type ContactsSearch = ReturnType<typeof validateContactsSearch>;
