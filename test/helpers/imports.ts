/** An uploaded import job (its file on disk), for tests of the routes that act on one. */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Database } from '../../src/server/db/client.ts';
import * as s from '../../src/server/db/schema.ts';
import { newId } from '../../src/server/ids.ts';
import type { TestWorkspace } from './workspace.ts';

export async function insertImportJob(
  db: Database,
  ws: TestWorkspace,
  csv = 'Phone,Name\n+12125550150,Ada\n',
): Promise<string> {
  const id = newId();
  const filePath = path.join(tmpdir(), `followthrough-test-import-${id}.csv`);
  writeFileSync(filePath, csv);
  await db.insert(s.importJobs).values({
    id,
    workspaceId: ws.id,
    kind: 'contacts',
    fileName: 'people.csv',
    filePath,
    fileBytes: csv.length,
    headers: csv.split('\n')[0]!.split(','),
    totalRows: csv.trim().split('\n').length - 1,
  });
  return id;
}
