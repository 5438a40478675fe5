import { describe, expect, it } from 'vitest';
import {
  checkMapping,
  parseMappingOption,
  suggestMapping,
  uniqueHeaders,
} from './import-mapping.ts';

describe('suggestMapping', () => {
  it('matches the usual header names, whatever their case and punctuation', () => {
    expect(
      suggestMapping(
        ['Phone Number', 'First name', 'last_name', 'E-mail', 'Time zone', 'Company', 'Plan'],
        'contacts',
      ),
    ).toEqual({
      'Phone Number': 'phone',
      'First name': 'firstName',
      last_name: 'lastName',
      'E-mail': 'email',
      'Time zone': 'timezone',
      Company: 'company',
    });
    expect(suggestMapping(['phone_number', 'Reason'], 'dnc')).toEqual({
      phone_number: 'phone',
      Reason: 'reason',
    });
  });

  it('feeds each field from one column only (the first that matches)', () => {
    expect(suggestMapping(['Mobile', 'Phone'], 'contacts')).toEqual({ Mobile: 'phone' });
  });

  it('suggests only fields of the kind of import', () => {
    expect(suggestMapping(['Phone', 'Email', 'Reason'], 'dnc')).toEqual({
      Phone: 'phone',
      Reason: 'reason',
    });
  });
});

describe('uniqueHeaders', () => {
  it('numbers repeated names and names blank columns by position', () => {
    expect(uniqueHeaders(['Name', ' Name ', '', 'Name'])).toEqual([
      'Name',
      'Name (2)',
      'Column 3',
      'Name (3)',
    ]);
  });
});

describe('checkMapping', () => {
  const headers = ['Phone', 'Name', 'Plan'];
  it('accepts phone plus known fields and custom keys', () => {
    expect(
      checkMapping({ Phone: 'phone', Name: 'firstName', Plan: 'custom:plan' }, headers, 'contacts'),
    ).toEqual([]);
  });

  it('says what is wrong, by column', () => {
    expect(
      checkMapping(
        { Name: 'firstName', Plan: 'custom:', Nope: 'email', Phone: 'nickname' },
        headers,
        'contacts',
      ),
    ).toEqual([
      {
        path: 'mapping.Plan',
        message:
          'Name the custom field with letters, digits, spaces, "_", "-" or "." (at most 100).',
      },
      { path: 'mapping.Nope', message: 'The file has no column "Nope".' },
      {
        path: 'mapping.Phone',
        message:
          'Unknown field "nickname": use one of phone, firstName, lastName, email, company, timezone, region, custom:<key>.',
      },
      { path: 'mapping', message: 'Choose the column that holds the phone number.' },
    ]);
  });

  it('refuses a field fed by two columns, and contact fields in a Do Not Call import', () => {
    expect(checkMapping({ Phone: 'phone', Name: 'phone' }, headers, 'contacts')).toEqual([
      { path: 'mapping.Name', message: 'The column "Phone" already feeds phone.' },
    ]);
    expect(checkMapping({ Phone: 'phone', Plan: 'custom:plan' }, headers, 'dnc')[0]?.path).toBe(
      'mapping.Plan',
    );
  });
});

describe('parseMappingOption', () => {
  it('reads COLUMN=field pairs, column names with spaces included', () => {
    expect(parseMappingOption('Phone=phone, First name=firstName,Plan=custom:plan')).toEqual({
      Phone: 'phone',
      'First name': 'firstName',
      Plan: 'custom:plan',
    });
  });
  it('throws on a pair without =', () => {
    expect(() => parseMappingOption('Phone')).toThrow('"Phone" is not COLUMN=field.');
  });
});
