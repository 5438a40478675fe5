/**
 * `followthrough import-contacts` as a real process on an embedded database: counts printed,
 * the error report written next to the file, a second run skips every row, and a missing
 * --workspace among several workspaces is refused with their names.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/server/db/client.ts';
import * as s from '../src/server/db/schema.ts';
import { createTestWorkspace } from './helpers/workspace.ts';

// Line 1 is the header. Lines 4, 6 and 9 cannot be imported.
const CONTACTS_CSV = [
  'Phone,First name,Last name,Plan',
  '(212) 555-0101,Ada,Lovelace,gold',
  '+1 212 555 0102,Alan,Turing,',
  '555-12,Bad,Phone,',
  '212.555.0103,Grace,Hopper,silver',
  '(212) 555-0101,Ada,Again,',
  '212 555 0104,Kath,Johnson,',
  '212 555 0105,Mary,Jackson,',
  ',No,Phone,',
].join('\n');

describe('followthrough import-contacts', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'followthrough-import-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('imports a file into the named workspace, prints the counts and writes the error report', async () => {
    const handle = await openDatabase({ dataDir: dir });
    await handle.migrate();
    const ws = await createTestWorkspace(handle.db, 'CLI Co');
    await createTestWorkspace(handle.db, 'Another Co');
    await handle.close();
    const file = path.join(dir, 'people.csv');
    writeFileSync(file, CONTACTS_CSV);
    const run = (args: string[]) =>
      promisify(execFile)(process.execPath, [path.resolve('bin/followthrough.js'), ...args], {
        env: { ...process.env, FOLLOWTHROUGH_DATA_DIR: dir, DATABASE_URL: '', LOG_LEVEL: 'warn' },
      });
    const map = 'Phone=phone,First name=firstName,Last name=lastName,Plan=custom:plan';
    const first = await run(['import-contacts', file, '--map', map, '--workspace', 'CLI Co']);
    expect(first.stdout).toContain(
      'Imported 8 rows: created 5, updated 0, skipped 0 (unchanged), errors 3.',
    );
    const report = path.join(dir, 'people-errors.csv');
    expect(first.stdout).toContain(`Error report: ${report}`);
    expect(readFileSync(report, 'utf8').trim().split('\n')).toEqual([
      'line,reason',
      '4,"Line 4: phone ""555-12"" is not a valid phone number."',
      '6,Line 6: duplicate of line 2 in this file (+12125550101).',
      '9,Line 9: no phone number.',
    ]);
    const again = await run(['import-contacts', file, '--map', map, '--workspace', 'CLI Co']);
    expect(again.stdout).toContain('created 0, updated 0, skipped 5 (unchanged), errors 3.');
    await expect(run(['import-contacts', file, '--map', 'Name=firstName'])).rejects.toMatchObject({
      stderr: expect.stringContaining('There are several workspaces'),
    });

    const reopened = await openDatabase({ dataDir: dir });
    try {
      const rows = await reopened.db
        .select()
        .from(s.contacts)
        .where(eq(s.contacts.workspaceId, ws.id));
      expect(rows.find((c) => c.phone === '+12125550101')).toMatchObject({
        firstName: 'Ada',
        customFields: { plan: 'gold' },
      });
      expect(rows.length).toBe(4 + 5);
    } finally {
      await reopened.close();
    }
  }, 240_000);
});
