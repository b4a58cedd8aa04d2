/**
 * The start-up budget (issue 2, bench/cli-startup.mjs) depends on which modules the fast
 * commands load. This meta-test records every module `run` and `list` resolve and fails
 * when a heavy one (zod, typescript, ajv's compiler, execa, ora, inquirer, the MCP SDK) creeps in.
 *
 * bin/toolsmith.js runs the CLI from one CommonJS bundle (dist/cli/toolsmith.cjs, issue 7):
 * dist/'s own modules are inside it, and it loads packages with require() (a --require
 * preload records Module._load) or, for ES-module packages, import() (an ESM resolve hook
 * records those).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, tempDir } from '../helpers.js';

// typescript is loaded with require() from dist/ast/typescript.cjs, which an ESM resolve hook does not
// see: the compiler's one door, dist/ast/, stands for it.
const HEAVY = [/\/node_modules\/zod\//, /\/node_modules\/typescript\//, /\/dist\/ast\//, /\/node_modules\/ajv\/dist\/(core|ajv|compile)/, /\/node_modules\/execa\//, /\/node_modules\/ora\//, /\/node_modules\/@inquirer\//, /json-schema-to-typescript/, /\/node_modules\/@modelcontextprotocol\//];

/** A copy of the checkout's workspace (shipped registry and config): `run` records metrics, never into the checkout. */
let workspace: string;
beforeAll(() => {
  workspace = tempDir('toolsmith-imports-ws-');
  for (const name of ['registry', 'toolsmith.config.json']) cpSync(path.join(ROOT, name), path.join(workspace, name), { recursive: true });
});

function loadedModules(args: string[]): string[] {
  const dir = tempDir('toolsmith-imports-');
  const log = path.join(dir, 'modules.log');
  const hooks = path.join(dir, 'hooks.mjs');
  writeFileSync(hooks, `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(${JSON.stringify(log)}, result.url + '\\n');
  return result;
}
`);
  const register = path.join(dir, 'register.mjs');
  writeFileSync(register, `import { register } from 'node:module'; register(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
  const preload = path.join(dir, 'record-require.cjs');
  writeFileSync(preload, `const Module = require('node:module');
const { appendFileSync } = require('node:fs');
const load = Module._load;
Module._load = function (request, parent, isMain) {
  let file = request;
  try { file = Module._resolveFilename(request, parent, isMain); } catch {}
  appendFileSync(${JSON.stringify(log)}, 'require:' + file + '\\n');
  return load.apply(this, arguments);
};
`);
  const r = spawnSync(process.execPath, ['--require', preload, '--import', pathToFileURL(register).href, BIN, ...args], { cwd: workspace, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  expect(r.status, r.stderr).toBe(0);
  return spawnSync('cat', [log], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
}

describe('start-up imports of the fast commands', () => {
  it.each([
    ['list', ['list']],
    ['run', ['run', 'json_pointer_get', '--input', '{"document":{"a":1},"pointer":"/a"}']],
    ['--version', ['--version']],
  ])('%s loads no heavy module', (_name, args) => {
    // `run` compiles a tool's validators with ajv the first time its spec runs, then reads them
    // from toolsmith's cache: the budget is that of every later run.
    loadedModules(args);
    const modules = loadedModules(args);
    expect(modules.length).toBeGreaterThan(3);
    const heavy = modules.filter((m) => HEAVY.some((h) => h.test(m)));
    expect(heavy).toEqual([]);
  });

  it('the CLI runs from the bundle, and its require() calls are recorded (the controls of the test above)', () => {
    const modules = loadedModules(['list']);
    // No ES module of dist/: the bundle holds them all, and the loader is required.
    expect(modules.filter((m) => /\/dist\/.*\.js$/.test(m) && !m.includes('/node_modules/'))).toEqual([]);
    expect(modules).toContainEqual(expect.stringMatching(/^require:.*\/dist\/cli\/start\.cjs$/));
    // commander reaches the bundle through require() only: the preload sees it.
    expect(modules.filter((m) => m.startsWith('require:') && /\/node_modules\/commander\//.test(m)).length).toBeGreaterThan(0);
  });
});

describe('the MCP SDK is loaded by `serve` alone', () => {
  const sdk = (modules: string[]) => modules.filter((m) => /\/node_modules\/@modelcontextprotocol\//.test(m));
  it('`manifest` (the same catalog as tools/list) does not load it', () => {
    expect(sdk(loadedModules(['manifest', '--format', 'mcp']))).toEqual([]);
  });
  it('`serve` does (the control: the pattern above matches the SDK as installed)', () => {
    // stdin is not a terminal and closes at once: serve starts, sees EOF, exits 0.
    expect(sdk(loadedModules(['serve'])).length).toBeGreaterThan(0);
  });
});
