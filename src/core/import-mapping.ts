/**
 * CSV imports (contacts and the Do Not Call list): which fields a column can feed, the mapping
 * suggested from the header row, and the check of a mapping chosen by a person. Pure: used by
 * the server, the command line and the web app.
 */

export type ImportKind = 'contacts' | 'dnc';

/** Fields a column can feed; `custom:<key>` (contacts) fills customFields[key]. */
export const IMPORT_FIELDS = {
  contacts: ['phone', 'firstName', 'lastName', 'email', 'company', 'timezone', 'region'],
  dnc: ['phone', 'reason'],
} as const;

export type ImportField =
  | (typeof IMPORT_FIELDS)['contacts'][number]
  | (typeof IMPORT_FIELDS)['dnc'][number];

export const IMPORT_FIELD_LABELS: Record<ImportField, string> = {
  phone: 'Phone',
  firstName: 'First name',
  lastName: 'Last name',
  email: 'Email',
  company: 'Company',
  timezone: 'Time zone',
  region: 'Region',
  reason: 'Reason',
};

/** CSV header → field ('phone', 'firstName', 'custom:plan'); columns left out are not imported. */
export type ImportMapping = Record<string, string>;

export const CUSTOM_PREFIX = 'custom:';
const CUSTOM_KEY_RE = /^[A-Za-z0-9_][A-Za-z0-9_ .-]{0,99}$/;

// Spellings seen in exports of CRMs and dialers, compared without case, spaces or punctuation.
const SYNONYMS: Record<ImportField, string[]> = {
  phone: [
    'phone',
    'phonenumber',
    'phoneno',
    'mobile',
    'mobilephone',
    'mobilenumber',
    'cell',
    'cellphone',
    'telephone',
    'tel',
    'number',
    'msisdn',
    'e164',
  ],
  firstName: ['firstname', 'first', 'givenname', 'forename', 'fname'],
  lastName: ['lastname', 'last', 'surname', 'familyname', 'lname'],
  email: ['email', 'emailaddress', 'mail', 'e-mail'],
  company: ['company', 'companyname', 'organisation', 'organization', 'account', 'business'],
  timezone: ['timezone', 'tz', 'zone', 'timezonename'],
  region: ['region', 'state', 'province', 'stateprovince', 'subdivision', 'iso31662'],
  reason: ['reason', 'note', 'notes', 'comment', 'dncreason'],
};

const squash = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, '');

/** The mapping a person most likely wants: known header names → their field, each field once. */
export function suggestMapping(headers: readonly string[], kind: ImportKind): ImportMapping {
  const mapping: ImportMapping = {};
  const taken = new Set<string>();
  for (const header of headers) {
    const key = squash(header);
    const field = IMPORT_FIELDS[kind].find(
      (f) => !taken.has(f) && SYNONYMS[f].some((s) => squash(s) === key),
    );
    if (field) {
      mapping[header] = field;
      taken.add(field);
    }
  }
  return mapping;
}

/** Makes repeated header names unique ('Name', 'Name (2)') and names blank ones by position. */
export function uniqueHeaders(raw: readonly string[]): string[] {
  const seen = new Set<string>();
  return raw.map((h, i) => {
    const base = h.trim() || `Column ${i + 1}`;
    let name = base;
    for (let n = 2; seen.has(name); n++) name = `${base} (${n})`;
    seen.add(name);
    return name;
  });
}

export interface MappingProblem {
  path: string;
  message: string;
}

/**
 * What is wrong with a mapping for this file: phone not mapped, a column that the file does not
 * have, an unknown field, a field fed by two columns, a bad custom field key. Empty when fine.
 */
export function checkMapping(
  mapping: ImportMapping,
  headers: readonly string[],
  kind: ImportKind,
): MappingProblem[] {
  const problems: MappingProblem[] = [];
  const used = new Map<string, string>();
  const fields: readonly string[] = IMPORT_FIELDS[kind];
  for (const [column, field] of Object.entries(mapping)) {
    const path = `mapping.${column}`;
    if (!headers.includes(column)) {
      problems.push({ path, message: `The file has no column "${column}".` });
      continue;
    }
    if (field.startsWith(CUSTOM_PREFIX) && kind === 'contacts') {
      const key = field.slice(CUSTOM_PREFIX.length);
      if (!CUSTOM_KEY_RE.test(key)) {
        problems.push({
          path,
          message:
            'Name the custom field with letters, digits, spaces, "_", "-" or "." (at most 100).',
        });
        continue;
      }
    } else if (!fields.includes(field)) {
      const allowed = kind === 'contacts' ? [...fields, 'custom:<key>'] : fields;
      problems.push({
        path,
        message: `Unknown field "${field}": use one of ${allowed.join(', ')}.`,
      });
      continue;
    }
    const other = used.get(field);
    if (other !== undefined) {
      problems.push({ path, message: `The column "${other}" already feeds ${field}.` });
      continue;
    }
    used.set(field, column);
  }
  if (!used.has('phone')) {
    problems.push({ path: 'mapping', message: 'Choose the column that holds the phone number.' });
  }
  return problems;
}

/**
 * A mapping written on the command line: "Phone=phone,First name=firstName,Plan=custom:plan".
 * Throws with a readable message when a pair has no "=".
 */
export function parseMappingOption(text: string): ImportMapping {
  const mapping: ImportMapping = {};
  for (const pair of text.split(',')) {
    if (!pair.trim()) continue;
    const at = pair.lastIndexOf('=');
    if (at <= 0) throw new Error(`"${pair.trim()}" is not COLUMN=field.`);
    mapping[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  return mapping;
}
