/**
 * Where the package's files are, the same whether the server runs from its sources (tests,
 * `npm run dev`) or from its build in dist/server: found from this file up to package.json.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function packageRoot(from: string): string {
  let dir = path.dirname(from);
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`No package.json above ${from}.`);
    dir = up;
  }
  return dir;
}

export const PACKAGE_ROOT = packageRoot(fileURLToPath(import.meta.url));
/** The SQL migrations, read at run time by `migrate`. */
export const MIGRATIONS_FOLDER = path.join(PACKAGE_ROOT, 'src/server/db/migrations');
/** The web app's build (Vite). */
export const WEB_BUILD = path.join(PACKAGE_ROOT, 'dist/web');
