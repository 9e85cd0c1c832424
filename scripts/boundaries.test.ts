// The import table of docs/architecture.md is enforced by the type-check and lint gates.
// These tests plant violations and prove that each gate turns red on them.
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const eslint = new ESLint({ cwd: root });

async function lintAs(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === '@typescript-eslint/no-restricted-imports').map((m) => m.message);
}

describe('lint import rules', () => {
  const cases: [string, string, RegExp][] = [
    ['core/grid/leak.ts', "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;", /core\/ is the pure domain/],
    ['core/grid/leak.ts', "import { app } from 'electron';\nexport const a = app;", /core\/ is the pure domain/],
    ['core/grid/leak.ts', "import Database from 'better-sqlite3';\nexport const d = Database;", /core\/ is the pure domain/],
    ['core/grid/leak.ts', "import { x } from '../../electron/service/x';\nexport const y = x;", /core\/ is the pure domain/],
    ['renderer/src/app/leak.ts', "import { readFileSync } from 'fs';\nexport const f = readFileSync;", /no Node/],
    ['renderer/src/app/leak.ts', "import { io } from 'socket.io-client';\nexport const i = io;", /Only renderer\/src\/platform/],
    ['renderer/src/app/leak.ts', "import Database from 'better-sqlite3';\nexport const d = Database;", /never touches the database/],
    ['electron/main/leak.ts', "import Database from 'better-sqlite3';\nexport const d = Database;", /freezes every window/],
    ['electron/service/leak.ts', "import { app } from 'electron';\nexport const a = app;", /must not depend on Electron/],
    ['electron/web/leak.ts', "import { BrowserWindow } from 'electron';\nexport const b = BrowserWindow;", /without Electron/],
    ['electron/service/leak.ts', "import { x } from '../../county/simulator/store';\nexport const y = x;", /imports nothing else of it/],
    ['electron/web/leak.ts', "import { x } from '../../county/embedded';\nexport const y = x;", /imports nothing else of it|county\/embedded/],
    ['renderer/src/app/leak.ts', "import { x } from '../../../county/demo/town';\nexport const y = x;", /may import only core/],
    ['core/grid/leak.ts', "import { x } from '../../county/demo/town';\nexport const y = x;", /core\/ is the pure domain/],
    ['county/simulator/leak.ts', "import { app } from 'electron';\nexport const a = app;", /county is a separate system that shares only core\//],
    ['county/simulator/leak.ts', "import { createRoot } from 'react-dom/client';\nexport const c = createRoot;", /has no UI/],
    ['county/simulator/leak.ts', "import { x } from '../../renderer/src/app/x';\nexport const y = x;", /renderer is the town/],
    ['county/simulator/leak.ts', "import { x } from '../../electron/service/replica/x';\nexport const y = x;", /must not use the town’s data service/],
    ['county/simulator/leak.ts', "import { x } from '../../electron/service';\nexport const y = x;", /must not use the town’s data service/],
    ['county/simulator/leak.ts', "import { x } from '../../electron/web/server';\nexport const y = x;", /web shell is the town/],
    ['county/simulator/leak.ts', "import { x } from '../../electron/main/index';\nexport const y = x;", /desktop shell/],
  ];
  it.each(cases)('%s refuses a forbidden import', async (file, code, why) => {
    const messages = await lintAs(file, code);
    expect(messages.length).toBeGreaterThan(0);
    expect(messages[0]).toMatch(why);
  });

  it('lets each layer import what its row of the table allows', async () => {
    expect(await lintAs('core/grid/ok.ts', "import { z } from 'zod';\nexport const s = z.string();")).toEqual([]);
    expect(await lintAs('renderer/src/platform/ok.ts', "import { io } from 'socket.io-client';\nexport const i = io;")).toEqual([]);
    expect(await lintAs('electron/service/ok.ts', "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;")).toEqual([]);
    expect(
      await lintAs(
        'county/simulator/ok.ts',
        "import { Server } from 'socket.io';\nimport { transition } from '../../core/events/transition';\nimport { readFileSync } from 'node:fs';\nimport { County } from './county';\nexport const x = [Server, transition, readFileSync, County];",
      ),
    ).toEqual([]);
  });
});

describe('small units', () => {
  it('warns on a function over 80 lines outside the tests, and the gate allows no warning', async () => {
    const body = Array.from({ length: 81 }, (_, i) => `  total += ${i};`).join('\n');
    const code = `export function long(): number {\n  let total = 0;\n${body}\n  return total;\n}\n`;
    const [result] = await eslint.lintText(code, { filePath: path.join(root, 'electron/service/long.ts') });
    expect(result?.messages.some((m) => m.ruleId === 'max-lines-per-function')).toBe(true);
    const [inTest] = await eslint.lintText(code, { filePath: path.join(root, 'electron/service/long.test.ts') });
    expect(inTest?.messages.some((m) => m.ruleId === 'max-lines-per-function')).toBe(false);
  });
});

describe('type-check boundaries', () => {
  // core/ compiles with no DOM and no Node types, the renderer with no Node types.
  function typeErrors(project: string, code: string): string {
    mkdirSync(path.join(root, '.tsbuild'), { recursive: true });
    const dir = mkdtempSync(path.join(root, '.tsbuild', 'boundary-'));
    writeFileSync(path.join(dir, 'leak.ts'), code);
    writeFileSync(
      path.join(dir, 'tsconfig.json'),
      JSON.stringify({
        extends: path.join(root, project, 'tsconfig.json'),
        compilerOptions: { composite: false, declaration: false, emitDeclarationOnly: false, noEmit: true },
        include: [path.join(dir, 'leak.ts')],
        exclude: [],
      }),
    );
    try {
      execFileSync(path.join(root, 'node_modules/.bin/tsc'), ['-p', path.join(dir, 'tsconfig.json')], { encoding: 'utf8' });
      return '';
    } catch (e) {
      return String((e as { stdout?: string }).stdout);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('core/ cannot see process or window', () => {
    const out = typeErrors('core', 'export const a = process.env.HOME;\nexport const b = window.name;\n');
    expect(out).toMatch(/Cannot find name 'process'/);
    expect(out).toMatch(/Cannot find name 'window'/);
  }, 60_000);

  it('renderer/ cannot see process or Buffer', () => {
    const out = typeErrors('renderer', 'export const a = process.env.HOME;\nexport const b = Buffer.from("x");\n');
    expect(out).toMatch(/Cannot find name 'process'/);
    expect(out).toMatch(/Cannot find name 'Buffer'/);
  }, 60_000);

  it('a clean file passes the same check (the harness itself works)', () => {
    expect(typeErrors('core', 'export const a: number = 1;\n')).toBe('');
  }, 60_000);
});

describe('lint import rules match names exactly', () => {
  it("does not mistake core's own events/ folder for Node's 'events' module", async () => {
    expect(await lintAs('core/api/ok.ts', "import { COMMAND_ARGS } from '../events/commands';\nexport const c = COMMAND_ARGS;")).toEqual([]);
    expect((await lintAs('core/api/leak.ts', "import { EventEmitter } from 'events';\nexport const e = EventEmitter;")).length).toBe(1);
  });
});
