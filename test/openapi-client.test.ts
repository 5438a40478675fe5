/**
 * The API quick start's typed client (docs/api-quick-start.md, section 9) works: types generated
 * with openapi-typescript from the API's OpenAPI document have the schemas' names, the quick
 * start's program type-checks against them (and a wrong body does not), and it runs against a
 * real server with an API key.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/server/http/app.ts';
import { testDatabases, useDatabase } from './helpers/databases.ts';
import { createTestWorkspace, type TestWorkspace } from './helpers/workspace.ts';

const run = promisify(execFile);
const DIR = path.resolve(`test-results/openapi-client-${process.pid}`);
const QUICK_START = readFileSync('docs/api-quick-start.md', 'utf8');
/** The quick start's TypeScript program (the one code block of its section 9). */
const PROGRAM = /## 9\.[\s\S]*?```ts\n([\s\S]*?)```/.exec(QUICK_START)?.[1] ?? '';

interface OpenApiDoc {
  components: { schemas: Record<string, unknown> };
  // biome-ignore lint/suspicious/noExplicitAny: a JSON document, read by the assertions
  paths: Record<string, any>;
}

function typeErrors(file: string): string[] {
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    types: ['node'],
  });
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

for (const target of testDatabases()) {
  describe(`a typed client generated from the OpenAPI document [${target.name}]`, () => {
    const ctx = useDatabase(target);
    let app: FastifyInstance;
    let ws: TestWorkspace;
    let url: string;

    beforeAll(async () => {
      ws = await createTestWorkspace(ctx.handle.db, `Client Co ${target.name}`);
      app = await buildApp({ handle: ctx.handle, logger: false, webRoot: '/nonexistent' });
      url = await app.listen({ port: 0, host: '127.0.0.1' });
      mkdirSync(DIR, { recursive: true });
      // The quick start's commands: the document, then openapi-typescript's CLI as it says.
      writeFileSync(
        path.join(DIR, 'followthrough.openapi.json'),
        await (await fetch(`${url}/api/openapi.json`)).text(),
      );
      const generate = /npx (openapi-typescript .*)/.exec(QUICK_START)![1]!.split(' ');
      await run(
        process.execPath,
        [path.resolve('node_modules/.bin', generate[0]!), ...generate.slice(1)],
        {
          cwd: DIR,
        },
      );
    });
    afterAll(async () => {
      await app?.close();
      rmSync(DIR, { recursive: true, force: true });
    });

    it('names the schemas: generated clients get named types', async () => {
      const doc = (await (await fetch(`${url}/api/openapi.json`)).json()) as OpenApiDoc;
      const names = Object.keys(doc.components.schemas);
      expect(names).toEqual(
        expect.arrayContaining(['FollowUp', 'FollowUpListItem', 'FollowUpDetail', 'Problem']),
      );
      const create = doc.paths['/api/follow-ups'].post;
      expect(create.responses['201'].content['application/json'].schema).toEqual({
        $ref: '#/components/schemas/FollowUp',
      });
      expect(create.responses['400'].content['application/json'].schema).toEqual({
        $ref: '#/components/schemas/Problem',
      });
      const types = readFileSync(path.join(DIR, 'followthrough-api.d.ts'), 'utf8');
      expect(types).toMatch(/\bFollowUp: \{/);
      expect(types).toMatch(/\bProblem: \{/);
    });

    it('type-checks the quick start’s program, and refuses a wrong body', () => {
      expect(PROGRAM).toContain('createClient<paths>');
      const good = path.join(DIR, 'quick-start.mts');
      writeFileSync(good, PROGRAM);
      expect(typeErrors(good)).toEqual([]);
      const bad = path.join(DIR, 'wrong.mts');
      writeFileSync(bad, PROGRAM.replace("type: 'call',", "type: 'fax',"));
      expect(typeErrors(bad).join('\n')).toMatch(/"fax"/);
    }, 120_000);

    it('runs the quick start’s program against the server with an API key', async () => {
      const file = path.join(DIR, 'run.mts');
      writeFileSync(file, PROGRAM.replace('<contact id>', ws.contacts.ny));
      // Asynchronously: the server answers from this very process.
      const { stdout } = await run(process.execPath, ['--import', 'tsx', file], {
        env: { ...process.env, FT: url, FT_KEY: ws.keys.operator },
        timeout: 60_000,
      });
      const [createdLine, listLine] = stdout.trim().split('\n');
      expect(createdLine).toMatch(/^[0-9a-f-]{36} scheduled$/);
      expect(Number(listLine!.split(' ')[0])).toBeGreaterThan(0);
    }, 120_000);
  });
}
