/**
 * The direction between the rooms of the code (docs/ARCHITECTURE.md), checked on every import:
 * the core imports nothing outside the core; the contracts depend on nothing of the server or the
 * web app; services, outbound HTTP, the database layer and the HTTP routes never import the engine
 * (the engine calls services, not the other way round); a route reaches data only through
 * services; the web app never imports the server.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name))
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

function violations(from: string[], forbidden: string[]): string[] {
  const found: string[] = [];
  for (const dir of from) {
    for (const file of sources(dir)) {
      for (const target of importsOf(file)) {
        if (forbidden.some((f) => target === f || target.startsWith(`${f}/`))) {
          found.push(`${file} imports ${target}`);
        }
      }
    }
  }
  return found;
}

describe('layers', () => {
  it('finds the imports it checks (the check itself works)', () => {
    const imports = importsOf('src/server/engine/dispatcher.ts');
    expect(imports.some((i) => i.startsWith('src/server/services/'))).toBe(true);
    expect(violations(['src/server/engine'], ['src/server/services']).length).toBeGreaterThan(0);
    expect(importsOf('src/core/calling-rules.ts').length).toBeGreaterThan(0);
  });

  it('the core imports nothing outside the core', () => {
    const outside = sources('src/core').flatMap((file) =>
      importsOf(file)
        .filter((target) => !target.startsWith('src/core/'))
        .map((target) => `${file} imports ${target}`),
    );
    expect(outside).toEqual([]);
  });

  it('the core and the contracts import nothing of the server or the web app', () => {
    expect(violations(['src/core', 'src/contracts'], ['src/server', 'src/web'])).toEqual([]);
  });

  it('services, outbound HTTP, the database layer and the HTTP layer never import the engine', () => {
    expect(
      violations(
        ['src/server/services', 'src/server/outbound', 'src/server/db', 'src/server/http'],
        ['src/server/engine'],
      ),
    ).toEqual([]);
  });

  it('routes import neither the engine, the database layer nor outbound HTTP: they call services', () => {
    expect(
      violations(
        ['src/server/http/routes'],
        ['src/server/engine', 'src/server/db', 'src/server/outbound'],
      ),
    ).toEqual([]);
  });

  it('the web app never imports the server', () => {
    expect(violations(['src/web'], ['src/server'])).toEqual([]);
  });
});
