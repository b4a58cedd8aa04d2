import { spawnSync, spawn, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const BIN = path.join(ROOT, 'bin', 'toolsmith.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The actor a command runs as: `author` (who generates), except that `approve --reviewer X`
 * runs as X, as a reviewer approving on their own machine would (the author may not record
 * an approval under another name). A test that wants another actor passes TOOLSMITH_ACTOR.
 */
function defaultActor(args: string[]): string {
  const reviewer = args[0] === 'approve' ? args[args.indexOf('--reviewer') + 1] : undefined;
  return args[0] === 'approve' && args.includes('--reviewer') && reviewer ? reviewer : 'author';
}

/**
 * Runs the real toolsmith binary, without a TTY and without colour. `timeout` (ms) guards
 * against a hang: the process is killed and the result's code is -1.
 */
export function toolsmith(cwd: string, args: string[], options: { env?: NodeJS.ProcessEnv; input?: string; timeout?: number } = {}): CliResult {
  const result: SpawnSyncReturns<string> = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', TOOLSMITH_ACTOR: defaultActor(args), ...options.env },
    input: options.input ?? '',
    maxBuffer: 64 * 1024 * 1024,
    ...(options.timeout ? { timeout: options.timeout, killSignal: 'SIGKILL' as const } : {}),
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Starts the binary without waiting (for concurrency and kill tests). */
export function toolsmithAsync(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', TOOLSMITH_ACTOR: defaultActor(args), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

const tempDirs: string[] = [];

/**
 * A fresh temporary folder, removed after the test file ends (tests/setup-yield.ts calls
 * removeTempDirs): tests never leave temporary folders behind (tests/global-setup.ts checks).
 */
export function tempDir(prefix = 'toolsmith-test-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** Removes every folder tempDir() created so far. */
export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/**
 * A fresh temporary workspace, as `toolsmith init .` makes it: a copy of the one workspace
 * tests/global-setup.ts made with the real binary (init's files depend on neither the folder
 * nor the time). Outside a vitest run with that setup, the binary makes each one.
 */
export function createWorkspace(): string {
  const dir = tempDir('toolsmith-test-');
  const template = process.env['TOOLSMITH_TEST_WORKSPACE_TEMPLATE'];
  if (template !== undefined && existsSync(path.join(template, 'toolsmith.config.json'))) {
    cpSync(template, dir, { recursive: true });
    return dir;
  }
  const init = toolsmith(dir, ['init', '.']);
  if (init.code !== 0) throw new Error(`init failed: ${init.stderr}`);
  return dir;
}

/** SHA-256 of every file under a folder, by relative path: compare before/after to prove nothing changed. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const name of readdirSync(path.join(dir, rel))) {
      const r = rel ? `${rel}/${name}` : name;
      const full = path.join(dir, r);
      if (statSync(full).isDirectory()) walk(r);
      else out[r] = createHash('sha256').update(readFileSync(full)).digest('hex');
    }
  };
  walk('');
  return out;
}

export const WORD_COUNT_SPEC = {
  tool_name: 'word_count',
  description: 'Counts the words in a text.',
  input_schema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'], additionalProperties: false },
  output_schema: { type: 'object', properties: { words: { type: 'integer' } }, required: ['words'], additionalProperties: false },
  when_to_use: 'When you need the number of words in a text.',
  what_it_does: 'Splits the text on whitespace and counts the non-empty parts.',
  returns: 'An object with the word count.',
  prerequisites: 'None.',
};

export const WORD_COUNT_IMPL = `export interface Input { text: string }
export interface Output { words: number }
export default async function wordCount(input: Input): Promise<Output> {
  console.log('counting words');
  return { words: input.text.split(/\\s+/).filter(Boolean).length };
}
`;

export const WORD_COUNT_TESTS = [
  { name: 'empty', input: { text: '' }, expected: { words: 0 } },
  { name: 'three', input: { text: 'a b  c' }, expected: { words: 3 } },
  { name: 'missing text', input: {}, expect_error: 'ValidationError' },
];

/** Writes a spec file into the workspace and returns its path. */
export function writeSpec(ws: string, spec: object, name = 'spec.json'): string {
  const file = path.join(ws, name);
  writeFileSync(file, JSON.stringify(spec, null, 2));
  return file;
}

/**
 * generate + implement (as a user would, editing the files) + validate + stage + approve +
 * promote, in-process through the core: the same files and audit lines as the binary would
 * leave (generated, validated, staged and promoted by `author`, approved by `reviewer`).
 */
export async function promoteTool(ws: string, spec: object & { tool_name: string }, impl: string, tests: object[], reviewer = 'reviewer'): Promise<void> {
  const id = spec.tool_name;
  await inProcess.generate(ws, writeSpec(ws, spec, `${id}.spec.json`));
  writeFileSync(path.join(ws, 'staged', id, 'index.ts'), impl);
  writeFileSync(path.join(ws, 'staged', id, 'tests.json'), JSON.stringify(tests, null, 2));
  await inProcess.validateOk(ws, [id]);
  await inProcess.stage(ws, id);
  await inProcess.approve(ws, id, reviewer);
  await inProcess.promote(ws, id);
}

// ---------------------------------------------------------------------------------------------
// The core in-process (tests/README.md): the lifecycle's functions, loaded from the build in
// dist/ (tests/global-setup.ts builds it once), because validation runs tools through the
// sandbox, whose harness exists only compiled. One load per test file, on first use.

/** The types are src/'s: dist/ is compiled from it. */
export interface Core {
  initWorkspace: typeof import('../src/workspace/init-workspace.js').initWorkspace;
  generateCandidate: typeof import('../src/lifecycle/generate.js').generateCandidate;
  validateCandidates: typeof import('../src/lifecycle/validate.js').validateCandidates;
  applyCandidateTransition: typeof import('../src/lifecycle/apply-transition.js').applyCandidateTransition;
  promoteCandidate: typeof import('../src/lifecycle/promote.js').promoteCandidate;
  showTool: typeof import('../src/lifecycle/show-tool.js').showTool;
  diffTool: typeof import('../src/lifecycle/diff-tool.js').diffTool;
  listTools: typeof import('../src/lifecycle/list-tools.js').listTools;
  verifyRegistry: typeof import('../src/lifecycle/verify.js').verifyRegistry;
  runTool: typeof import('../src/lifecycle/run-tool.js').runTool;
  templateBackend: typeof import('../src/generate/template-backend.js').templateBackend;
  defaultTemplatesDir: typeof import('../src/generate/templates-dir.js').defaultTemplatesDir;
}

let loaded: Promise<Core> | undefined;

/** The built core (dist/), loaded once per test file. */
export function core(): Promise<Core> {
  const load = async (rel: string): Promise<Record<string, unknown>> => (await import(path.join(ROOT, 'dist', rel))) as Record<string, unknown>;
  loaded ??= (async () => {
    const modules = await Promise.all([
      'workspace/init-workspace.js', 'lifecycle/generate.js', 'lifecycle/validate.js', 'lifecycle/apply-transition.js', 'lifecycle/promote.js',
      'lifecycle/show-tool.js', 'lifecycle/diff-tool.js', 'lifecycle/list-tools.js', 'lifecycle/verify.js', 'lifecycle/run-tool.js',
      'generate/template-backend.js', 'generate/templates-dir.js',
    ].map(load));
    // `as`: each dist/ module is compiled from the src/ module whose export types Core names.
    return Object.assign({}, ...modules) as Core;
  })();
  return loaded;
}

/** Who runs a step, and when; as TOOLSMITH_ACTOR for the binary (default: `author`; a review: the reviewer). */
export interface StepOptions {
  actor?: string;
  now?: () => Date;
  env?: NodeJS.ProcessEnv;
}

const step = (ws: string, options: StepOptions, actor = 'author') => ({
  cwd: ws,
  actor: options.actor ?? actor,
  ...(options.now ? { now: options.now } : {}),
  ...(options.env ? { env: options.env } : {}),
});

/**
 * The lifecycle's verbs in-process, each what `toolsmith <verb>` run in `ws` does (same
 * arguments, same actor as toolsmith() gives the binary): for preparing state, and for
 * asserting what the core decides (a refusal's error, nothing written). They throw what the
 * core throws.
 */
export const inProcess = {
  /** `generate --spec FILE [--force] [--tool-version V]` (the template backend). */
  async generate(ws: string, specFile: string, options: StepOptions & { force?: boolean; version?: string; name?: string } = {}) {
    const c = await core();
    return c.generateCandidate({
      ...step(ws, options),
      specFile: path.resolve(ws, specFile),
      ...(options.name !== undefined ? { name: options.name } : {}),
      force: options.force ?? false,
      samples: 1,
      version: options.version,
      templateName: 'default',
      templatesDir: c.defaultTemplatesDir(),
      backend: c.templateBackend,
    });
  },
  /** `validate ID...` (or `--all` with ids = 'all'): the result, whatever the verdict. */
  async validate(ws: string, ids: string[] | 'all', options: StepOptions = {}) {
    return (await core()).validateCandidates({ ...step(ws, options), ids: ids === 'all' ? [] : ids, all: ids === 'all' });
  },
  /** `validate ID...` that must be valid (exit 0), as ok() asserts for the binary. */
  async validateOk(ws: string, ids: string[] | 'all', options: StepOptions = {}) {
    const result = await inProcess.validate(ws, ids, options);
    if (!result.all_valid) {
      const errors = result.candidates.flatMap((c) => c.report.errors.map((e) => `${c.tool_id}: ${e}`));
      throw new Error(`validate ${String(ids)} is not valid:\n${[...errors, ...result.broken.map((b) => `${b.tool_id}: ${b.problem}`)].join('\n')}`);
    }
    return result;
  },
  async stage(ws: string, id: string, options: StepOptions = {}) {
    return (await core()).applyCandidateTransition('stage', { ...step(ws, options), toolId: id });
  },
  /** `approve ID --reviewer R [--notes N] [--sign-key K]`, run by the reviewer unless `actor` says otherwise. */
  async approve(ws: string, id: string, reviewer: string, options: StepOptions & { notes?: string; signKey?: string } = {}) {
    return (await core()).applyCandidateTransition('approve', { ...step(ws, options, reviewer), toolId: id, reviewer, notes: options.notes, signKey: options.signKey });
  },
  /** `reject ID --reviewer R --notes N`, run by `author` (as toolsmith() runs it) unless `actor` says otherwise. */
  async reject(ws: string, id: string, reviewer: string, notes: string, options: StepOptions = {}) {
    return (await core()).applyCandidateTransition('reject', { ...step(ws, options), toolId: id, reviewer, notes });
  },
  async promote(ws: string, id: string, options: StepOptions & { signKey?: string } = {}) {
    return (await core()).promoteCandidate({ ...step(ws, options), toolId: id, signKey: options.signKey });
  },
  async show(ws: string, id: string) {
    return (await core()).showTool({ cwd: ws, toolId: id });
  },
  async list(ws: string) {
    return (await core()).listTools({ cwd: ws });
  },
  async verify(ws: string) {
    return (await core()).verifyRegistry({ cwd: ws });
  },
};

/**
 * What `ok(ws, args, env)` (tests/e2e/e2e-helpers.ts) does for a lifecycle verb (generate,
 * validate, stage, approve, reject, promote), in-process: for preparing the state a test then
 * asserts on through the binary. The same arguments, the same actor (TOOLSMITH_ACTOR from
 * `env`, else as toolsmith() chooses it); it throws when the command would not exit 0, and on
 * a flag it does not know (so a test cannot silently lose one).
 */
export async function prepare(ws: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<unknown> {
  const [verb, ...rest] = args;
  const flags = new Map<string, string | true>();
  const positional: string[] = [];
  const valued = new Set(['--spec', '--tool-version', '--reviewer', '--notes', '--sign-key']);
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (valued.has(arg)) flags.set(arg, rest[++i] ?? '');
    else if (arg === '--force' || arg === '--all') flags.set(arg, true);
    else if (arg.startsWith('-')) throw new Error(`prepare(): ${arg} is not supported in-process; run the binary (ok()) instead`);
    else positional.push(arg);
  }
  const text = (flag: string) => (typeof flags.get(flag) === 'string' ? (flags.get(flag) as string) : undefined);
  const actor = env['TOOLSMITH_ACTOR'] ?? defaultActor(args);
  const options: StepOptions = { actor, ...(Object.keys(env).length > 0 ? { env: { ...process.env, ...env } } : {}) };
  const id = positional[0] ?? '';
  switch (verb) {
    case 'generate': {
      const spec = text('--spec');
      if (spec === undefined) throw new Error('prepare(): generate needs --spec');
      return inProcess.generate(ws, spec, { ...options, force: flags.has('--force'), ...(text('--tool-version') ? { version: text('--tool-version') } : {}), ...(positional[0] ? { name: positional[0] } : {}) });
    }
    case 'validate':
      return inProcess.validateOk(ws, flags.has('--all') ? 'all' : positional, options);
    case 'stage':
      return inProcess.stage(ws, id, options);
    case 'approve':
      return inProcess.approve(ws, id, text('--reviewer') ?? '', { ...options, ...(text('--notes') !== undefined ? { notes: text('--notes') } : {}), ...(text('--sign-key') !== undefined ? { signKey: text('--sign-key') } : {}) });
    case 'reject':
      return inProcess.reject(ws, id, text('--reviewer') ?? '', text('--notes') ?? '', options);
    case 'promote':
      return inProcess.promote(ws, id, { ...options, ...(text('--sign-key') !== undefined ? { signKey: text('--sign-key') } : {}) });
    default:
      throw new Error(`prepare(): ${String(verb)} is not a lifecycle verb; run the binary (ok()) instead`);
  }
}

export function mkdirp(dir: string): void {
  mkdirSync(dir, { recursive: true });
}
