/**
 * The rooms of the web app (docs/ARCHITECTURE.md, "The web app"), checked on every import:
 * a feature imports nothing of another feature — not its components, not its `api.ts`; what two
 * features share lives in `src/web/components` (pieces of screen) or `src/web/lib` (queries, keys,
 * session); shared pieces and lib import no feature and no page; pages compose features, and no
 * feature imports a page. Test files are held to the same rules.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const WEB = 'src/web';

function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)));
}

/** The repository paths a file imports (relative specifiers only; packages are not rooms). */
function importsOf(file: string): string[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const specifiers = [
    ...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/g),
    ...text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((m) => m[1] as string);
  return specifiers
    .filter((s) => s.startsWith('.'))
    .map((s) => path.relative(ROOT, path.resolve(ROOT, path.dirname(file), s)));
}

/** The feature a path belongs to ("contacts" for src/web/features/contacts/api.ts), if any. */
function featureOf(file: string): string | undefined {
  return file.match(/^src\/web\/features\/([^/]+)\//)?.[1];
}

/** Every import from one feature into another, as "file imports target". */
function crossFeatureImports(files: string[]): string[] {
  const found: string[] = [];
  for (const file of files) {
    const own = featureOf(file);
    if (!own) continue;
    for (const target of importsOf(file)) {
      const other = featureOf(target);
      if (other && other !== own) found.push(`${file} imports ${target}`);
    }
  }
  return found;
}

function importsInto(files: string[], forbidden: string[]): string[] {
  const found: string[] = [];
  for (const file of files) {
    for (const target of importsOf(file)) {
      if (forbidden.some((f) => target === f || target.startsWith(`${f}/`))) {
        found.push(`${file} imports ${target}`);
      }
    }
  }
  return found;
}

describe('web layers', () => {
  it('finds the imports it checks (the check itself works)', () => {
    const page = 'src/web/pages/contact-page.tsx';
    expect(importsOf(page).some((i) => i.startsWith('src/web/features/'))).toBe(true);
    expect(featureOf('src/web/features/contacts/api.ts')).toBe('contacts');
    expect(importsInto([page], ['src/web/features']).length).toBeGreaterThan(0);
  });

  it('no feature imports another feature (api.ts included)', () => {
    expect(crossFeatureImports(sources(`${WEB}/features`))).toEqual([]);
  });

  it('shared pieces and lib import no feature and no page', () => {
    expect(
      importsInto(
        [...sources(`${WEB}/components`), ...sources(`${WEB}/lib`)],
        [`${WEB}/features`, `${WEB}/pages`],
      ),
    ).toEqual([]);
  });

  it('features import no page (pages compose features, not the other way round)', () => {
    expect(importsInto(sources(`${WEB}/features`), [`${WEB}/pages`])).toEqual([]);
  });
});
