/** `followthrough import-contacts FILE`: contacts (or Do Not Call numbers) from a CSV file. */
import { parseMappingOption } from '../../core/import-mapping.ts';
import { systemClock } from '../clock.ts';
import { progressBar } from '../progress.ts';
import { defaultErrorsPath, ImportFileError, importFile } from '../services/imports/import-file.ts';
import { fail, open, readConfig } from './shared.ts';

export interface ImportContactsOptions {
  map: string;
  workspace?: string;
  dnc?: boolean;
  errors?: string;
}

export async function importContacts(file: string, opts: ImportContactsOptions): Promise<void> {
  let mapping: Record<string, string>;
  try {
    mapping = parseMappingOption(opts.map);
  } catch (error) {
    fail(`--map: ${(error as Error).message} Write it as "Column=field,Other column=field".`);
  }
  const config = readConfig();
  const handle = await open(config);
  const bar = progressBar();
  try {
    await handle.migrate();
    const result = await importFile(
      { db: handle.db, clock: systemClock },
      {
        file,
        kind: opts.dnc ? 'dnc' : 'contacts',
        mapping,
        workspace: opts.workspace,
        errorsPath: opts.errors ?? defaultErrorsPath(file),
        onProgress: (done, total) => bar.update(done, total, 'rows'),
      },
    );
    bar.stop();
    const n = (v: number) => v.toLocaleString('en-US');
    console.log(
      `Imported ${n(result.processed)} rows: created ${n(result.created)}, updated ` +
        `${n(result.updated)}, skipped ${n(result.skipped)} (unchanged), errors ${n(result.errors)}.`,
    );
    if (opts.dnc && result.failedFollowUps > 0) {
      console.log(
        `Failed ${n(result.failedFollowUps)} open call and SMS follow-ups (Do Not Call).`,
      );
    }
    if (result.errorsPath) console.log(`Error report: ${result.errorsPath}`);
  } catch (error) {
    bar.stop();
    if (error instanceof ImportFileError) fail(error.message);
    throw error;
  } finally {
    await handle.close();
  }
}
