// ESLint's core rules as the oracle of the scanner's fidelity (issue 9 item 18). The same
// files go through ESLint 9 (no-eval, no-new-func, no-restricted-imports, no-restricted-modules,
// and no-implied-eval, which has no toolsmith counterpart) and through toolsmith's equivalent
// rules (forbidden-call of eval and of Function, forbidden-import of the same modules); the
// findings are compared as sets of (file, line, column, rule). Every difference is put in a
// category: a known, documented difference of meaning, or "unexplained".
// Used by tests/scanner/eslint-oracle.test.ts (a small checked-in corpus, from src/) and by
// bench/scan-fidelity.mjs (thousands of real files, from dist/).
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The modules both sides forbid. */
export const ORACLE_MODULES = ['child_process', 'worker_threads', 'cluster', 'net', 'http', 'https', 'http2', 'dgram', 'tls', 'dns', 'fs', 'vm', 'module'];

/** toolsmith's side: rule ids are the oracle's rule names. */
export const TOOLSMITH_RULES = [
  { id: 'eval', kind: 'forbidden-call', options: { names: ['eval'] } },
  { id: 'Function', kind: 'forbidden-call', options: { names: ['Function'] } },
  { id: 'import', kind: 'forbidden-import', options: { modules: ORACLE_MODULES, report_dynamic: false } },
];

const ESLINT_RULE_NAMES = { 'no-eval': 'eval', 'no-new-func': 'Function', 'no-restricted-imports': 'import', 'no-restricted-modules': 'import', 'no-implied-eval': 'implied-eval' };

const RESTRICTED = ORACLE_MODULES.flatMap((m) => [m, `node:${m}`]);
const RULES = {
  'no-eval': 'error',
  'no-new-func': 'error',
  'no-implied-eval': 'error',
  // `import type` is allowed on both sides (it erases).
  'no-restricted-imports': ['error', { paths: RESTRICTED.map((name) => ({ name, allowTypeImports: true })), patterns: [{ group: RESTRICTED.map((m) => `${m}/*`), allowTypeImports: true }] }],
  'no-restricted-modules': ['error', { paths: RESTRICTED, patterns: RESTRICTED.map((m) => `${m}/*`) }],
};

/** @param {string} file */
function isTypeScript(file) {
  return /\.[cm]?tsx?$/.test(file);
}

/**
 * ESLint 9's Linter with the oracle rules. `.mjs` is a module, `.cjs` CommonJS, `.js`/`.jsx`
 * a module when it parses as one and CommonJS otherwise (so a script with legacy octal still
 * parses, as it does for toolsmith), TypeScript through typescript-eslint's parser. Inline
 * `eslint-disable` comments are ignored: libraries silence no-eval where they use eval.
 * @param {string} root
 */
export async function createEslintOracle(root) {
  const { Linter } = await import('eslint');
  const tseslint = (await import('typescript-eslint')).default;
  const linter = new Linter({ configType: 'flat', cwd: root });
  const globals = { window: 'readonly', global: 'readonly', self: 'readonly', setTimeout: 'readonly', setInterval: 'readonly' };
  const base = { files: ['**/*.js', '**/*.mjs', '**/*.cjs', '**/*.jsx', '**/*.ts', '**/*.mts', '**/*.cts', '**/*.tsx'], linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: 'off' }, rules: RULES };
  /** @param {object} languageOptions */
  const config = (languageOptions) => [{ ...base, languageOptions: { ecmaVersion: 'latest', globals, ...languageOptions } }];
  const jsx = { ecmaFeatures: { jsx: true } };
  const configs = {
    module: config({ sourceType: 'module', parserOptions: jsx }),
    commonjs: config({ sourceType: 'commonjs', parserOptions: jsx }),
    ts: config({ sourceType: 'module', parser: tseslint.parser }),
  };
  /**
   * @param {{ absolute: string, relative: string }} file
   * @returns {{ parsed: boolean, findings: Array<{ file: string, line: number, column: number, rule: string }> }}
   */
  return (file) => {
    const text = readFileSync(file.absolute, 'utf8');
    // ESLint skips node_modules/ by default: each file is linted under a virtual path outside it.
    const filename = path.join(root, '__oracle__', file.relative.replace(/(^|\/)node_modules\//g, '$1nm/').replace(/\.\.\//g, 'up/'));
    const order = isTypeScript(file.relative) ? ['ts'] : file.relative.endsWith('.mjs') ? ['module'] : file.relative.endsWith('.cjs') ? ['commonjs'] : ['module', 'commonjs'];
    for (const kind of order) {
      const messages = linter.verify(text, configs[kind], { filename });
      if (messages.some((m) => m.fatal)) continue;
      // A file no config matches would pass with no findings: never let the oracle skip a file silently.
      const unmatched = messages.find((m) => m.ruleId === null && m.message.startsWith('No matching configuration'));
      if (unmatched) throw new Error(`ESLint did not lint ${file.relative}: ${unmatched.message}`);
      return {
        parsed: true,
        findings: messages.filter((m) => m.ruleId && m.ruleId in ESLINT_RULE_NAMES).map((m) => ({ file: file.relative, line: m.line, column: m.column, rule: ESLINT_RULE_NAMES[m.ruleId] })),
      };
    }
    return { parsed: false, findings: [] };
  };
}

/**
 * toolsmith's side, through the scanner's public entry points (from src/ or dist/).
 * @param {{ parseScanConfig: Function, scanFileList: Function }} scanner
 * @param {string} root
 */
export function createToolsmithSide(scanner, root) {
  const { rules } = scanner.parseScanConfig({ rules: TOOLSMITH_RULES, tool_rules: false, ignore: [] }, 'oracle');
  /** @param {Array<{ absolute: string, relative: string }>} files */
  return (files) => {
    const result = scanner.scanFileList(root, files, rules);
    const unparsed = new Set(result.findings.filter((f) => f.rule === 'parse-error' || f.rule === 'skipped-file').map((f) => f.file));
    const findings = result.findings.filter((f) => f.rule in { eval: 1, Function: 1, import: 1 }).map((f) => ({ file: f.file, line: f.line, column: f.column, rule: f.rule, message: f.message }));
    return { unparsed, findings };
  };
}

const key = (f) => `${f.file}:${f.line}:${f.column}:${f.rule}`;

/** Why ESLint reports what toolsmith does not (by the text at the position), or 'unexplained'. */
function eslintOnlyCategory(f, lineText) {
  const before = lineText.slice(0, f.column - 1);
  const rest = lineText.slice(f.column - 1);
  if (f.rule === 'import' && /\.d\.[cm]?ts$/.test(f.file)) return 'import in a declaration file (nothing loads from one)';
  if (f.rule === 'eval') {
    if (/^eval\s*\(/.test(rest) && !/[.\]]\s*$/.test(before)) return 'a call of a local named `eval` (no-eval checks direct calls by name, not by scope)';
    if (/\btypeof\s*\(?\s*$/.test(before)) return '`typeof eval` (a read, not a call)';
    if (/\bthis\s*\.\s*$/.test(before)) return '`this.eval` (ESLint takes top-level `this` for the global object; in CommonJS it is module.exports)';
    if (/^eval\s*(===?|!==?|instanceof\b|\.\s*(?!call\b|apply\b|bind\b)\w|\)|&&|\?[^.?]|;|,)/.test(rest) || /(===?|!==?|!|\bin)\s*$/.test(before)) return 'eval read without being called or handed on (compared, tested, a property read)';
  }
  return 'unexplained';
}

/** Why toolsmith reports what ESLint does not, or 'unexplained'. */
function toolsmithOnlyCategory(f, lineText) {
  const before = lineText.slice(0, f.column - 1);
  const rest = lineText.slice(f.column - 1);
  if (f.rule === 'import') {
    if (/^import\s*\(/.test(rest)) return '`import()` (no ESLint core rule checks dynamic imports)';
    if (/^\(\s*0\s*,\s*require\s*\)/.test(rest)) return '`(0, require)(...)`';
    if (/^require\s*\.\s*(call|apply)\b/.test(rest)) return '`require.call` / `require.apply`';
    if (/^module\s*\.\s*require\b/.test(rest)) return '`module.require(...)`';
    if (/getBuiltinModule/.test(rest)) return '`process.getBuiltinModule(...)`';
    if (/^(import|export)\s*\{[^}]*\btype\b/.test(rest)) return 'inline `type` specifiers only (ESLint: type-only; the module still loads under verbatimModuleSyntax)';
  }
  if (f.rule === 'eval' || f.rule === 'Function') {
    if (/\bself\s*(\.\s*|\[\s*['"`])$/.test(before)) return '`self.eval` / `self.Function` (ESLint\'s no-eval knows global, window, globalThis)';
    if (f.rule === 'Function' && /(globalThis|window|global|self)\s*(\.\s*|\[\s*['"`])$/.test(before)) return '`Function` through the global object (no-new-func checks the bare name only)';
    if (f.rule === 'Function' && f.message?.includes('used as a value')) return '`Function` handed on as a value (no-new-func checks calls only)';
    if (/^\(\s*0\s*,\s*Function\b/.test(rest) || /\(\s*0\s*,\s*$/.test(before)) return '`(0, Function)(...)`';
  }
  return 'unexplained';
}

/**
 * Compares the two sides over files both parsed. Returns counts per rule and per category,
 * the agreement (findings both report / findings either reports) and the unexplained rows.
 * @param {Array<{ absolute: string, relative: string }>} files
 * @param {(file: { absolute: string, relative: string }) => { parsed: boolean, findings: object[] }} eslint
 * @param {{ unparsed: Set<string>, findings: object[] }} toolsmith
 */
export function compareSides(files, eslint, toolsmith) {
  const parse = { both: 0, eslintOnly: [], toolsmithOnly: [], neither: [] };
  const eslintFindings = [];
  const impliedEval = [];
  const compared = new Set();
  for (const file of files) {
    const e = eslint(file);
    const t = !toolsmith.unparsed.has(file.relative);
    if (e.parsed && t) {
      parse.both++;
      compared.add(file.relative);
      for (const f of e.findings) (f.rule === 'implied-eval' ? impliedEval : eslintFindings).push(f);
    } else if (e.parsed) parse.eslintOnly.push(file.relative);
    else if (t) parse.toolsmithOnly.push(file.relative);
    else parse.neither.push(file.relative);
  }
  const ours = toolsmith.findings.filter((f) => compared.has(f.file));
  const theirKeys = new Set(eslintFindings.map(key));
  const ourKeys = new Set(ours.map(key));
  const texts = new Map(files.map((f) => [f.relative, f.absolute]));
  const lineOf = (f) => {
    const text = readFileSync(texts.get(f.file), 'utf8').replace(/^\uFEFF/, '');
    return text.split(/\r\n|[\n\r\u2028\u2029]/)[f.line - 1] ?? '';
  };
  const both = eslintFindings.filter((f) => ourKeys.has(key(f)));
  const eslintOnly = eslintFindings.filter((f) => !ourKeys.has(key(f))).map((f) => ({ ...f, category: eslintOnlyCategory(f, lineOf(f)) }));
  const toolsmithOnly = ours.filter((f) => !theirKeys.has(key(f))).map((f) => ({ ...f, category: toolsmithOnlyCategory(f, lineOf(f)) }));
  const union = both.length + eslintOnly.length + toolsmithOnly.length;
  // The same by line only (file, line, rule): independent of where on the line each tool points.
  const lineKey = (f) => `${f.file}:${f.line}:${f.rule}`;
  const theirLines = new Set(eslintFindings.map(lineKey));
  const ourLines = new Set(ours.map(lineKey));
  const lineBoth = [...theirLines].filter((k) => ourLines.has(k)).length;
  const lineUnion = new Set([...theirLines, ...ourLines]).size;
  const unexplained = [...eslintOnly, ...toolsmithOnly].filter((f) => f.category === 'unexplained');
  return {
    files: files.length,
    parse,
    both,
    eslintOnly,
    toolsmithOnly,
    impliedEval,
    agreement: union === 0 ? 1 : both.length / union,
    lineAgreement: lineUnion === 0 ? 1 : lineBoth / lineUnion,
    explainedAgreement: both.length + unexplained.length === 0 ? 1 : both.length / (both.length + unexplained.length),
    unexplained,
  };
}

/** The comparison as a few lines of text. */
export function formatComparison(c) {
  const pct = (x) => `${(100 * x).toFixed(2)}%`;
  const count = (rows) => {
    const m = new Map();
    for (const r of rows) m.set(`${r.rule}: ${r.category}`, (m.get(`${r.rule}: ${r.category}`) ?? 0) + 1);
    return [...m.entries()].sort((a, b) => b[1] - a[1]).map(([k, n]) => `    ${String(n).padStart(6)}  ${k}`);
  };
  const byRule = (rows) => ['eval', 'Function', 'import'].map((r) => `${r} ${rows.filter((f) => f.rule === r).length}`).join(', ');
  return [
    `files: ${c.files}; parsed by both ${c.parse.both}, by ESLint only ${c.parse.eslintOnly.length}, by toolsmith only ${c.parse.toolsmithOnly.length}, by neither ${c.parse.neither.length}`,
    `findings on files both parsed: both ${c.both.length} (${byRule(c.both)}); ESLint only ${c.eslintOnly.length}; toolsmith only ${c.toolsmithOnly.length}`,
    `agreement (same file, line, column, rule) / all findings: ${pct(c.agreement)}; by line (file, line, rule): ${pct(c.lineAgreement)}`,
    `agreement once documented differences are set aside: ${pct(c.explainedAgreement)} (${c.unexplained.length} unexplained)`,
    '  ESLint only, by category:',
    ...count(c.eslintOnly),
    '  toolsmith only, by category:',
    ...count(c.toolsmithOnly),
    `  no-implied-eval (no toolsmith rule: Node's setTimeout/setInterval take no strings): ${c.impliedEval.length}`,
    ...(c.parse.eslintOnly.length ? ['  parsed by ESLint only (first 10):', ...c.parse.eslintOnly.slice(0, 10).map((f) => `    ${f}`)] : []),
    ...(c.parse.toolsmithOnly.length ? ['  parsed by toolsmith only (first 10):', ...c.parse.toolsmithOnly.slice(0, 10).map((f) => `    ${f}`)] : []),
    ...(c.unexplained.length ? ['  unexplained (first 20):', ...c.unexplained.slice(0, 20).map((f) => `    ${f.file}:${f.line}:${f.column} ${f.rule} (${c.eslintOnly.includes(f) ? 'ESLint' : 'toolsmith'} only)`)] : []),
  ].join('\n');
}
