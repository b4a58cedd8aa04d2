// `toolsmith scan` throughput (issue 3) on real code nobody here wrote: every .ts/.mts/.cts/.js/.mjs
// file under 1 MB in the project's node_modules. Three figures from the same process and run:
//   floor  = read + ts.createSourceFile (default options) + one full ts.forEachChild walk;
//   scan   = the scanner with the built-in tool rule set applied to every file (single-threaded);
//   eslint = ESLint 9 Linter + typescript-eslint's parser + no-restricted-syntax selectors
//            equivalent to those rules.
// Floor and scan are interleaved (median of BENCH_RUNS, default 3); ESLint, the slowest, runs once.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { sourceCorpus } from './lib.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.js', '.mjs']);

function corpus() {
  return sourceCorpus(root, [path.join(root, 'node_modules')], EXTENSIONS);
}

function kindOf(file) {
  return file.endsWith('.js') || file.endsWith('.mjs') ? ts.ScriptKind.JS : ts.ScriptKind.TS;
}

function floor(files, jsDocParsingMode) {
  let nodes = 0;
  const visit = (node) => {
    nodes++;
    ts.forEachChild(node, visit);
  };
  for (const f of files) {
    const text = readFileSync(f.absolute, 'utf8');
    const options = jsDocParsingMode === undefined ? ts.ScriptTarget.Latest : { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode };
    visit(ts.createSourceFile(f.relative, text, options, false, kindOf(f.relative)));
  }
  return nodes;
}

const SELECTORS = [
  "CallExpression[callee.name='eval']", "CallExpression[callee.property.name='eval']", "CallExpression[callee.type='SequenceExpression']",
  "NewExpression[callee.name='Function']", "CallExpression[callee.name='Function']",
  "ImportDeclaration[importKind!='type'][source.value=/^(node:)?(child_process|worker_threads|cluster|net|http|https|http2|dgram|tls|dns|undici|ws|fs)(\\/|$)/]",
  "CallExpression[callee.name='require']", 'ImportExpression', "ExportNamedDeclaration[source]",
  'ExportDefaultDeclaration > :not(FunctionDeclaration, ArrowFunctionExpression, FunctionExpression, Identifier)',
  // The scanner reports these only inside functions and for module-level names; `:function X`
  // descendant selectors would slow ESLint further, so the baseline gets the cheaper, broader form.
  'AssignmentExpression', 'UpdateExpression',
  "CallExpression[callee.property.name=/^(push|pop|shift|unshift|splice|sort|reverse|fill|set|add|delete|clear)$/]",
  "MemberExpression[object.name='process'][property.name='env']", "CallExpression[callee.name='fetch']", "NewExpression[callee.name='WebSocket']",
  ":matches(CallExpression[callee.name=/^(writeFile|appendFile|mkdir|rm|unlink|rename|readFile|readdir|stat)(Sync)?$/], CallExpression[callee.property.name=/^(writeFile|appendFile|mkdir|rm|unlink|rename|readFile|readdir|stat)(Sync)?$/])",
].map((selector) => ({ selector, message: selector }));

async function createEslint() {
  const { Linter } = await import('eslint');
  const tseslint = (await import('typescript-eslint')).default;
  // ESLint ignores node_modules/ by default: each file is linted under a virtual path outside it.
  // Some packages carry `/* eslint-env */` comments, which ESLint 9 warns about (asynchronously): drop those warnings only.
  const printers = process.listeners('warning');
  process.removeAllListeners('warning');
  process.on('warning', (w) => {
    if (w.name !== 'ESLintEnvWarning') for (const print of printers) print(w);
  });
  const linter = new Linter({ configType: 'flat', cwd: root });
  const config = [{
    files: ['**/*.ts', '**/*.mts', '**/*.cts', '**/*.js', '**/*.mjs'],
    languageOptions: { parser: tseslint.parser, ecmaVersion: 'latest', sourceType: 'module' },
    rules: { 'no-restricted-syntax': ['error', ...SELECTORS] },
  }];
  return (files) => {
    let messages = 0;
    for (const f of files) {
      const filename = path.join(root, 'bench-corpus', f.relative.replace(/(^|\/)node_modules\//g, '$1nm/'));
      messages += linter.verify(readFileSync(f.absolute, 'utf8'), config, { filename }).length;
    }
    return messages;
  };
}

async function createScan() {
  const { parseScanConfig, scanFileList, createToolRules } = await import('../dist/scanner/index.js');
  const { rules } = parseScanConfig({ rules: createToolRules(['**']).map((r) => ({ ...r, except: [] })), tool_rules: false, ignore: [] }, 'bench');
  return (files) => scanFileList(root, files, rules).findings.length;
}

function time(fn) {
  const t = process.hrtime.bigint();
  const out = fn();
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, out };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const line = (label, ms, base, baseLabel, target) => {
  const ratio = ms / base;
  const verdict = target === undefined ? '' : target.kind === 'max' ? `  (target <= ${target.value}x: ${ratio <= target.value ? 'met' : 'NOT met'})` : `  (target: eslint >= ${target.value}x slower: ${ratio >= target.value ? 'met' : 'NOT met'})`;
  console.log(`${label.padEnd(44)} ${ms.toFixed(0).padStart(7)} ms vs ${baseLabel} ${base.toFixed(0).padStart(7)} ms  ratio ${ratio.toFixed(2)}x${verdict}`);
  return { label, subject_ms: ms, baseline_ms: base, ratio };
};

export async function run() {
  const files = corpus();
  const runs = Number(process.env['BENCH_RUNS'] ?? 3);
  const scan = await createScan();
  const eslint = await createEslint();
  console.log(`scan corpus: ${files.length} files from node_modules (${(files.reduce((n, f) => n + statSync(f.absolute).size, 0) / 1e6).toFixed(1)} MB), ${runs} interleaved runs`);
  floor(files);
  scan(files); // warm-up: page cache, JIT
  const floorMs = [];
  const floorNoJsDocMs = [];
  const scanMs = [];
  let findings = 0;
  for (let i = 0; i < runs; i++) {
    floorMs.push(time(() => floor(files)).ms);
    const s = time(() => scan(files));
    scanMs.push(s.ms);
    findings = s.out;
    floorNoJsDocMs.push(time(() => floor(files, ts.JSDocParsingMode.ParseNone)).ms);
  }
  const lint = time(() => eslint(files));
  const f = median(floorMs);
  const s = median(scanMs);
  console.log(`  (scan reported ${findings} findings; eslint ${lint.out} messages)`);
  return [
    line('scan, built-in rules, 1 thread', s, f, 'floor', { kind: 'max', value: 1.1 }),
    line('floor without JSDoc parsing (what scan parses)', median(floorNoJsDocMs), f, 'floor'),
    line('ESLint 9 + typescript-eslint (1 run)', lint.ms, s, 'scan', { kind: 'min', value: 5 }),
    line('ESLint 9 + typescript-eslint (1 run)', lint.ms, f, 'floor'),
  ];
}
if (import.meta.url === `file://${process.argv[1]}`) await run();
