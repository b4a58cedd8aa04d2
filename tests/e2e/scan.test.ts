import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, createWorkspace, tempDir, toolsmith, writeSpec, WORD_COUNT_SPEC } from '../helpers.js';

// Folders whose permissions a test took away: given back, then removed, before the suite's own cleanup.
const locked: string[] = [];
afterAll(() => {
  for (const dir of locked) {
    spawnSync('chmod', ['-R', 'u+rwX', dir]);
    rmSync(dir, { recursive: true, force: true });
  }
});

interface JsonScan {
  ok: boolean;
  files_scanned: number;
  error_count: number;
  warning_count: number;
  findings: Array<{ rule: string; file: string; line: number; column: number; message: string; severity: string }>;
}

/** A temporary folder with the given files and a toolsmith.config.json. */
function project(files: Record<string, string | Buffer>, config: object = { scan: { rules: [] } }): string {
  const dir = tempDir('toolsmith-scan-e2e-');
  writeFileSync(path.join(dir, 'toolsmith.config.json'), JSON.stringify(config, null, 2));
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}

/** A copy of the project's own src/ and toolsmith.config.json, to plant violations in. */
function copyOfProject(): string {
  const dir = tempDir('toolsmith-scan-self-');
  cpSync(path.join(ROOT, 'src'), path.join(dir, 'src'), { recursive: true });
  cpSync(path.join(ROOT, 'toolsmith.config.json'), path.join(dir, 'toolsmith.config.json'));
  return dir;
}

const EVAL_RULE = { scan: { rules: [{ id: 'no-eval', kind: 'forbidden-call', options: { names: ['eval'] } }] } };

describe('toolsmith scan on the project itself', () => {
  it('the real project scans clean (exit 0)', () => {
    const r = toolsmith(ROOT, ['scan']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^✓ \d+ files scanned, no findings\n$/);
  });

  it('a call of the sandbox outside the runner fails the scan with the finding', () => {
    const dir = copyOfProject();
    expect(toolsmith(dir, ['scan', '--json']).code).toBe(0);
    writeFileSync(path.join(dir, 'src', 'lifecycle', 'sneaky.ts'), "import { runInSandbox } from '../sandbox/index.js';\n\nexport async function sneaky(): Promise<unknown> {\n  return runInSandbox({} as never);\n}\n");
    const r = toolsmith(dir, ['scan', '--format', 'json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as JsonScan;
    expect(doc.findings.map((f) => [f.file, f.line, f.column, f.rule])).toEqual([
      ['src/lifecycle/sneaky.ts', 1, 30, 'boundary-lifecycle'],
      ['src/lifecycle/sneaky.ts', 1, 30, 'sandbox-only-from-runner'],
      ['src/lifecycle/sneaky.ts', 4, 10, 'sandbox-call-only-in-runner'],
    ]);
    expect(r.stdout).toContain('only src/runner/ may import src/sandbox/');
  });

  it('moving the metrics call out of the finally fails the scan at that call', () => {
    const dir = copyOfProject();
    const file = path.join(dir, 'src', 'runner', 'tool-runner.ts');
    const lines = readFileSync(file, 'utf8').split('\n');
    const recordAt = lines.findIndex((l) => l.includes('this.options.metrics.record('));
    const tryAt = lines.findIndex((l, i) => i > lines.findIndex((x) => x.includes('async run(')) && l.trim() === 'try {');
    expect(recordAt).toBeGreaterThan(tryAt);
    expect(tryAt).toBeGreaterThan(0);
    const [record] = lines.splice(recordAt, 1);
    lines.splice(tryAt, 0, record ?? '');
    writeFileSync(file, lines.join('\n'));
    const r = toolsmith(dir, ['scan']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/src\/runner\/tool-runner\.ts:\d+:\d+ +error +runner-records-metrics-in-finally +ToolRunner\.run calls `this\.options\.metrics\.record` outside a finally block/);
  });

  it('a ToolRunner.run with one parameter fails the scan', () => {
    const dir = copyOfProject();
    const file = path.join(dir, 'src', 'runner', 'tool-runner.ts');
    const source = readFileSync(file, 'utf8');
    expect(source).toContain('async run(ref: string, payload: unknown, options: RunOptions = {})');
    writeFileSync(file, source.replace('async run(ref: string, payload: unknown, options: RunOptions = {})', 'async run(ref: string)'));
    const r = toolsmith(dir, ['scan', 'src/runner']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('runner-run-signature  ToolRunner.run takes 1 parameter(s); it must take at least 2');
  });
});

describe('toolsmith scan: output and exit codes', () => {
  it('--format json and --json print exactly one JSON document', () => {
    const dir = project({ 'src/a.ts': 'eval("1");\n' }, EVAL_RULE);
    for (const args of [['scan', '--format', 'json'], ['scan', '--json']]) {
      const r = toolsmith(dir, args);
      expect(r.code).toBe(1);
      const doc = JSON.parse(r.stdout) as JsonScan;
      expect(doc).toMatchObject({ ok: false, files_scanned: 1, error_count: 1, warning_count: 0 });
      expect(doc.findings[0]).toMatchObject({ rule: 'no-eval', file: 'src/a.ts', line: 1, column: 1, severity: 'error' });
    }
  });

  it('--format sarif --output writes the report to the file and nothing to stdout', () => {
    const dir = project({ 'src/a.ts': 'eval("1");\n' }, EVAL_RULE);
    const r = toolsmith(dir, ['scan', '--format', 'sarif', '--output', 'scan.sarif']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/wrote the sarif report to scan\.sarif: 1 error/);
    const sarif = JSON.parse(readFileSync(path.join(dir, 'scan.sarif'), 'utf8')) as { version: string; runs: Array<{ results: unknown[] }> };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0]?.results).toHaveLength(1);
  });

  it('warnings pass unless over --max-warnings', () => {
    const dir = project({ 'src/a.ts': '// toolsmith-disable-next-line no-eval -- stale\nconst a = 1;\n' }, EVAL_RULE);
    const r = toolsmith(dir, ['scan']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('src/a.ts:1:4  warning  unused-suppression');
    expect(toolsmith(dir, ['scan', '--max-warnings', '1']).code).toBe(0);
    const over = toolsmith(dir, ['scan', '--max-warnings', '0']);
    expect(over.code).toBe(1);
    expect(over.stdout).toContain('more warnings than --max-warnings 0');
  });

  it('a suppression with a reason silences its finding', () => {
    const dir = project({ 'src/a.ts': '// toolsmith-disable-next-line no-eval -- constant input, reviewed\neval("1");\n' }, EVAL_RULE);
    const r = toolsmith(dir, ['scan']);
    expect([r.code, r.stdout]).toEqual([0, '✓ 1 file scanned, no findings\n']);
  });

  it('a syntax error, a binary file, an empty file and a 5 MB generated file: findings, never a crash', () => {
    const big = Array.from({ length: 120_000 }, (_, i) => `export const v${i} = { a: ${i}, b: "x${i}" };`).join('\n');
    const dir = project({
      'src/broken.ts': 'export function f( {\n',
      'src/blob.ts': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
      'src/empty.ts': '',
      'src/big.ts': big,
      'src/ok.ts': 'eval("1");\n',
    }, EVAL_RULE);
    const r = toolsmith(dir, ['scan', '--json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as JsonScan;
    expect(doc.files_scanned).toBe(5);
    expect(doc.findings.map((f) => [f.file, f.rule])).toEqual([
      ['src/blob.ts', 'parse-error'],
      ['src/broken.ts', 'parse-error'],
      ['src/ok.ts', 'no-eval'],
    ]);
  });

  it('scans only the named paths; ignores node_modules and dist', () => {
    const dir = project({ 'src/a.ts': 'eval("1");\n', 'lib/b.ts': 'eval("2");\n', 'node_modules/x/index.js': 'eval("3");\n', 'dist/c.js': 'eval("4");\n' }, EVAL_RULE);
    const all = JSON.parse(toolsmith(dir, ['scan', '--json']).stdout) as JsonScan;
    expect(all.findings.map((f) => f.file)).toEqual(['lib/b.ts', 'src/a.ts']);
    const some = JSON.parse(toolsmith(dir, ['scan', 'lib', '--json']).stdout) as JsonScan;
    expect(some.findings.map((f) => f.file)).toEqual(['lib/b.ts']);
  });
});

describe('toolsmith scan: what cannot be checked is a finding, never exit 70 or a hang (issue 9 item 10)', () => {
  /** Runs the binary as an unprivileged user (root reads everything, so unreadable files need one). */
  function scanAsUser(dir: string, args: string[]) {
    const asRoot = process.getuid?.() === 0;
    // The suite's private TMPDIR is 0700: the unprivileged user needs to pass through it to reach the tree.
    if (asRoot) chmodSync(path.dirname(dir), statSync(path.dirname(dir)).mode | 0o001);
    const argv = asRoot ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, BIN, ...args] : [process.execPath, BIN, ...args];
    const r = spawnSync(argv[0] ?? '', argv.slice(1), { cwd: dir, encoding: 'utf8', timeout: 30_000, env: { ...process.env, NO_COLOR: '1' } });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  function oddTree(): string {
    const dir = project({
      'src/a.ts': 'eval("1");\n',
      'src/secret.ts': 'eval("2");\n',
      'src/locked/inner.ts': 'eval("3");\n',
      'src/deep.js': `var x = ${'['.repeat(3000)}${']'.repeat(3000)};\n`,
    }, EVAL_RULE);
    writeFileSync(Buffer.concat([Buffer.from(path.join(dir, 'src')), Buffer.from('/bad\xff.ts', 'latin1')]), 'eval("4");\n');
    expect(spawnSync('mkfifo', [path.join(dir, 'src', 'pipe.ts')]).status).toBe(0);
    // Everything readable by the unprivileged user except the two paths under test.
    spawnSync('chmod', ['-R', 'a+rX', dir]);
    locked.push(dir);
    chmodSync(path.join(dir, 'src', 'secret.ts'), 0o000);
    chmodSync(path.join(dir, 'src', 'locked'), 0o000);
    return dir;
  }

  const SKIPPED = [
    ['src/bad\uFFFD.ts', 'skipped-file'],
    ['src/deep.js', 'skipped-file'],
    ['src/locked', 'skipped-file'],
    ['src/pipe.ts', 'skipped-file'],
    ['src/secret.ts', 'skipped-file'],
  ];

  it('json: an unreadable file and folder, a FIFO, a name that is not UTF-8 and too-deep nesting are findings; the rest is scanned (exit 1)', () => {
    const r = scanAsUser(oddTree(), ['scan', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as JsonScan & { files_skipped: number };
    expect(doc.findings.map((f) => [f.file, f.rule])).toEqual([['src/a.ts', 'no-eval'], ...SKIPPED]);
    expect([doc.files_scanned, doc.files_skipped, doc.error_count]).toEqual([1, 5, 6]);
    expect(doc.findings.find((f) => f.file === 'src/secret.ts')?.message).toBe('could not be read: permission denied (EACCES); not checked');
  });

  it('text and sarif carry the same notes', () => {
    const dir = oddTree();
    const text = scanAsUser(dir, ['scan']);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('src/locked:1:1  error    skipped-file  folder could not be read: permission denied (EACCES); none of its files were checked');
    expect(text.stdout).toMatch(/✗ 6 errors, 0 warnings in 6 files \(1 file scanned, 5 skipped\)\n$/);
    const sarif = scanAsUser(dir, ['scan', '--format', 'sarif']);
    expect(sarif.code).toBe(1);
    const run = (JSON.parse(sarif.stdout) as { runs: Array<{ tool: { driver: { rules: Array<{ id: string }> } }; results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }> }> }).runs[0];
    expect(run?.tool.driver.rules.map((x) => x.id)).toContain('skipped-file');
    expect(run?.results.map((x) => [x.locations[0]?.physicalLocation.artifactLocation.uri, x.ruleId])).toEqual([
      ['src/a.ts', 'no-eval'], ['src/bad%EF%BF%BD.ts', 'skipped-file'], ['src/deep.js', 'skipped-file'], ['src/locked', 'skipped-file'], ['src/pipe.ts', 'skipped-file'], ['src/secret.ts', 'skipped-file'],
    ]);
  });

  it('a FIFO named on the command line does not block the scan', () => {
    const dir = project({}, EVAL_RULE);
    expect(spawnSync('mkfifo', [path.join(dir, 'pipe.ts')]).status).toBe(0);
    spawnSync('chmod', ['-R', 'a+rX', dir]);
    const r = scanAsUser(dir, ['scan', 'pipe.ts']);
    expect([r.code, r.stdout, r.stderr]).toEqual([1, expect.stringContaining("pipe.ts:1:1  error    skipped-file  a FIFO, not a regular file; not read"), ""]);
  });
});

describe('toolsmith scan: bad config and usage (exit 2, one line naming the key)', () => {
  it.each([
    [{ scan: { rules: [{ kind: 'forbidden-call', optons: {} }] } }, 'unknown key scan.rules.0.optons'],
    [{ scan: { rules: [{ kind: 'forbidden-cal' }] } }, 'scan.rules.0.kind'],
    [{ scan: { rules: [{ kind: 'forbidden-call', options: { names: 'eval' } }] } }, 'scan.rules.0.options.names'],
    [{ scan: { rules: [{ kind: 'import-boundary', options: { disallow: ['x'], alow: [] } }] } }, 'unknown key scan.rules.0.options.alow'],
    [{ scan: { rulez: [] } }, 'unknown key scan.rulez'],
  ])('%j', (config, key) => {
    const dir = project({ 'src/a.ts': 'export {};\n' }, config);
    const r = toolsmith(dir, ['scan']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const [first, ...rest] = r.stderr.trimEnd().split('\n');
    expect(first).toContain(key);
    expect(rest.every((l) => l.startsWith('hint:'))).toBe(true);
  });

  it.each([
    [['scan', '--format', 'xml'], /xml/],
    [['scan', '--max-warnings', 'many'], /--max-warnings/],
    [['scan', 'no/such/dir'], /no\/such\/dir does not exist/],
    [['scan', '--config', 'missing.json'], /--config missing\.json/],
  ])('%j', (args, message) => {
    const dir = project({ 'src/a.ts': 'export {};\n' });
    const r = toolsmith(dir, args);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toMatch(message);
  });

  it('--config reads rules from another file', () => {
    const dir = project({ 'src/a.ts': 'eval("1");\n', 'ci/scan.json': JSON.stringify(EVAL_RULE) });
    expect(toolsmith(dir, ['scan']).code).toBe(0);
    const r = toolsmith(dir, ['scan', '--config', 'ci/scan.json']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('no-eval');
  });
});

describe('toolsmith scan: the built-in tool-package rules', () => {
  it('a generated candidate scans clean; one that evals, fetches without `net` and keeps state does not', () => {
    const ws = createWorkspace();
    expect(toolsmith(ws, ['generate', '--spec', writeSpec(ws, WORD_COUNT_SPEC)]).code).toBe(0);
    const clean = toolsmith(ws, ['scan']);
    expect([clean.code, clean.stdout]).toEqual([0, expect.stringMatching(/no findings/)]);
    writeFileSync(path.join(ws, 'staged', 'word_count', 'index.ts'), 'let calls = 0;\nexport default async function f(input: { text: string }) {\n  calls++;\n  await fetch("http://example.com");\n  return { words: eval(input.text) };\n}\n');
    const r = toolsmith(ws, ['scan', '--json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as JsonScan;
    expect(doc.findings.map((f) => [f.file, f.line, f.rule])).toEqual([
      ['staged/word_count/index.ts', 3, 'tool-no-module-state'],
      ['staged/word_count/index.ts', 4, 'tool-capabilities'],
      ['staged/word_count/index.ts', 5, 'tool-no-eval'],
    ]);
  });
});

describe('README', () => {
  it('the Scanner section\'s config example works as written', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Scanner (SPEC 9)'));
    const example = /```json\n([\s\S]*?)```/.exec(section)?.[1];
    expect(example).toBeDefined();
    const dir = project({
      'src/a.ts': 'export const x = eval("1");\n',
      'src/lifecycle/b.ts': 'import { runInSandbox } from "../sandbox/index.js";\nexport const y = runInSandbox;\n',
      'src/sandbox/index.ts': 'export const runInSandbox = 1;\n',
    }, JSON.parse(example ?? '{}') as object);
    const r = toolsmith(dir, ['scan', '--json']);
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as JsonScan).findings.map((f) => [f.file, f.rule])).toEqual([
      ['src/a.ts', 'no-eval'],
      ['src/lifecycle/b.ts', 'sandbox-only-from-runner'],
    ]);
  });
});
