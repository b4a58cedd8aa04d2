// Issue 9 item 10: what cannot be checked becomes a `skipped-file` finding for that path
// while the rest is scanned; nothing aborts the scan, nothing blocks on a FIFO. (Unreadable
// files and folders need a non-root user: tests/e2e/scan.test.ts runs those under setpriv.)
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ts } from '../../../src/ast/syntax.js';
import { parseScanConfig, registerRule, scanFileList, scanProject, type RuleModule } from '../../../src/scanner/index.js';
import { withTree } from '../rule-tester.js';

const rules = parseScanConfig({ rules: [{ kind: 'forbidden-call', options: { names: ['eval'] } }], tool_rules: false, ignore: [] }, 'toolsmith.config.json').rules;
const EVAL = '`eval(...)` is forbidden here (matches `eval`)';

function scan(root: string, paths?: string[]) {
  const result = scanProject({ root, rules, ignore: [], ...(paths ? { paths } : {}) });
  return { ...result, rows: result.findings.map((f) => [f.file, f.rule, f.message]) };
}

function mkfifo(file: string): void {
  const r = spawnSync('mkfifo', [file]);
  if (r.status !== 0) throw new Error(`mkfifo failed: ${r.stderr.toString()}`);
}

describe('skipped-file', () => {
  it('a FIFO named on the command line and one found in a folder are never opened', () => {
    withTree({ 'src/a.ts': 'eval("a");\n' }, (root) => {
      mkfifo(path.join(root, 'src', 'pipe.ts'));
      mkfifo(path.join(root, 'src', 'pipe.txt'));
      const walked = scan(root);
      expect(walked.rows).toEqual([
        ['src/a.ts', 'forbidden-call', EVAL],
        ['src/pipe.ts', 'skipped-file', 'a FIFO, not a regular file; not read'],
      ]);
      expect([walked.files_scanned, walked.files_skipped]).toEqual([1, 1]);
      expect(scan(root, ['src/pipe.ts', 'src/pipe.txt']).rows).toEqual([
        ['src/pipe.ts', 'skipped-file', 'a FIFO, not a regular file; not read'],
        ['src/pipe.txt', 'skipped-file', 'a FIFO, not a regular file; not read'],
      ]);
    });
  });

  it('a tool package whose spec.json is a FIFO: the spec grants nothing, and the scan does not block on it', () => {
    withTree({ 'staged/t/index.ts': 'export default async () => ({ r: await fetch("http://x") });\n' }, (root) => {
      mkfifo(path.join(root, 'staged', 't', 'spec.json'));
      const toolRules = parseScanConfig({ rules: [], tool_rules: true, ignore: [] }, 'toolsmith.config.json').rules;
      expect(scanProject({ root, rules: toolRules, ignore: [] }).findings.map((f) => [f.file, f.rule, f.message])).toEqual([
        ['staged/t/index.ts', 'tool-capabilities', '`fetch` needs the `net` permission, which the spec does not grant'],
      ]);
    });
  });

  it('a device named on the command line is not read', () => {
    const result = scanProject({ root: '/', paths: ['/dev/zero'], rules, ignore: [] });
    expect(result.findings.map((f) => [f.file, f.rule, f.message])).toEqual([['dev/zero', 'skipped-file', 'a device, not a regular file; not read']]);
  });

  it('file and folder names that are not valid UTF-8 are findings; a valid name holding U+FFFD is scanned', () => {
    withTree({ 'src/a.ts': 'eval("a");\n', 'src/ok\uFFFD.ts': 'eval("b");\n' }, (root) => {
      const src = Buffer.from(path.join(root, 'src'));
      writeFileSync(Buffer.concat([src, Buffer.from('/bad\xff.ts', 'latin1')]), 'eval("c");\n');
      writeFileSync(Buffer.concat([src, Buffer.from('/notes\xfe.txt', 'latin1')]), 'not source\n');
      mkdirSync(Buffer.concat([src, Buffer.from('/dir\xfe', 'latin1')]));
      const result = scan(root);
      expect(result.rows).toEqual([
        ['src/a.ts', 'forbidden-call', EVAL],
        ['src/bad\uFFFD.ts', 'skipped-file', 'the file name is not valid UTF-8 (`bad\\xff.ts`); not checked: rename it'],
        ['src/dir\uFFFD', 'skipped-file', 'the folder name is not valid UTF-8 (`dir\\xfe`); none of its files were checked: rename it'],
        ['src/ok\uFFFD.ts', 'forbidden-call', EVAL],
      ]);
      expect([result.files_scanned, result.files_skipped]).toEqual([2, 2]);
    });
  });

  it('a skipped path can be ignored on purpose with scan.ignore', () => {
    withTree({ 'src/a.ts': 'export {};\n' }, (root) => {
      writeFileSync(Buffer.concat([Buffer.from(path.join(root, 'src')), Buffer.from('/bad\xff.ts', 'latin1')]), 'x\n');
      mkfifo(path.join(root, 'src', 'pipe.ts'));
      expect(scanProject({ root, rules, ignore: ['src/bad?.ts', 'src/pipe.ts'] }).findings).toEqual([]);
    });
  });

  it('nesting deeper than the parser can follow is a finding; the files after it are scanned as usual', () => {
    const depth = 5000;
    const deep = {
      'src/a-parens.ts': `export const x = ${'('.repeat(depth)}1${')'.repeat(depth)};\n`,
      'src/b-arrays.js': `var y = ${'['.repeat(depth)}${']'.repeat(depth)};\n`,
      'src/c-blocks.ts': `${'if (a) {'.repeat(depth)}${'}'.repeat(depth)}\n`,
      'src/d-after.ts': 'const z = (1 + 2) * 3;\neval("after");\n',
    };
    withTree(deep, (root) => {
      const result = scan(root);
      const tooDeep = 'nested too deeply for the parser (it ran out of stack); not checked';
      expect(result.rows).toEqual([
        ['src/a-parens.ts', 'skipped-file', tooDeep],
        ['src/b-arrays.js', 'skipped-file', tooDeep],
        ['src/c-blocks.ts', 'skipped-file', tooDeep],
        ['src/d-after.ts', 'forbidden-call', EVAL],
      ]);
      expect(result.findings[3]).toMatchObject({ line: 2, column: 1, snippet: 'eval' });
    });
  });

  it('a tree as deep as it is long (a chain of 200,000 `+`, which the parser builds in a loop) is walked to the end', () => {
    const chain = `eval("first");\nexport const s = ${Array.from({ length: 200_000 }, () => 'a').join(' + ')} + eval("last");\n`;
    withTree({ 'src/chain.ts': chain }, (root) => {
      const result = scan(root);
      expect(result.rows).toEqual([['src/chain.ts', 'forbidden-call', EVAL], ['src/chain.ts', 'forbidden-call', EVAL]]);
      expect(result.findings.map((f) => [f.line, f.column])).toEqual([[1, 1], [2, 800_018]]);
    });
  });

  it('a rule that runs out of stack on a file: that file is reported as not fully checked, the scan goes on', () => {
    const recurse = (n: number): number => (n === 0 ? 0 : 1 + recurse(n - 1));
    const deep: RuleModule<unknown> = {
      kind: 'deep', description: 'recurses without end on a.ts', defaultSeverity: 'error', messages: {}, options: z.unknown(),
      create: (context) => ({ enter: context.file === 'a.ts' ? { [ts.SyntaxKind.SourceFile]: () => { recurse(Number.MAX_SAFE_INTEGER); } } : {} }),
    };
    const activated = registerRule(deep).activate({}, { id: 'deep', severity: 'error', appliesTo: () => true });
    if (!activated.ok) throw new Error('z.unknown() accepts any options');
    const rule = activated.rule;
    const result = withTree({ 'a.ts': 'export {};\n', 'b.ts': 'export {};\n' }, (root) =>
      scanFileList(root, [{ absolute: `${root}/a.ts`, relative: 'a.ts' }, { absolute: `${root}/b.ts`, relative: 'b.ts' }], [rule]));
    expect(result.findings.map((f) => [f.file, f.rule, f.message])).toEqual([['a.ts', 'skipped-file', 'nested too deeply to check (the rules ran out of stack); not fully checked']]);
    expect([result.files_scanned, result.files_skipped]).toEqual([1, 1]);
  });
});
