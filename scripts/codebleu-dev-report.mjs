// Agreement of toolsmith's CodeBLEU with the Python reference implementation on the
// development corpus: per component, Pearson correlation and mean absolute difference
// against the `oracle` scores stored in tests/fixtures/codebleu/dev.jsonl, then the
// layout and renaming checks the issue asks for. Run after `npm run build`.
//   node scripts/codebleu-dev-report.mjs [path/to/dev.jsonl] [--json]
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--')) ?? path.join(root, 'tests', 'fixtures', 'codebleu', 'dev.jsonl');
const { codeBleu } = await import(path.join(root, 'dist', 'metrics', 'code-bleu.js'));

const COMPONENTS = [
  ['n-gram match', 'ngram_match_score', 'ngram_match_score'],
  ['weighted n-gram match', 'weighted_ngram_score', 'weighted_ngram_match_score'],
  ['syntax (AST) match', 'ast_match_score', 'syntax_match_score'],
  ['dataflow match', 'dataflow_match_score', 'dataflow_match_score'],
  ['CodeBLEU', 'code_bleu_score', 'codebleu'],
];

function pearson(xs, ys) {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
    syy += (ys[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;

const rows = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
const scored = rows.map((r) => ({ ...r, ours: codeBleu(r.reference, r.candidate) }));

// heldout-pairs.jsonl has no oracle: then only the per-kind means and the checks are printed.
const hasOracle = rows.every((r) => r.oracle);
const table = !hasOracle ? [] : COMPONENTS.map(([label, ours, oracle]) => {
  const xs = scored.map((r) => r.ours[ours]);
  const ys = scored.map((r) => r.oracle[oracle]);
  return { component: label, pearson: pearson(xs, ys), mean_abs_diff: mean(xs.map((x, i) => Math.abs(x - ys[i]))), mean_toolsmith: mean(xs), mean_oracle: mean(ys) };
});

// Per kind of candidate: mean CodeBLEU of both implementations.
const kinds = [...new Set(rows.map((r) => r.kind))];
const byKind = kinds.map((kind) => {
  const these = scored.filter((r) => r.kind === kind);
  const components = COMPONENTS.slice(0, 4).map(([, ours, oracle]) => [mean(these.map((r) => r.ours[ours])), hasOracle ? mean(these.map((r) => r.oracle[oracle])) : Number.NaN]);
  return { kind, pairs: these.length, toolsmith: mean(these.map((r) => r.ours.code_bleu_score)), oracle: hasOracle ? mean(these.map((r) => r.oracle.codebleu)) : Number.NaN, components };
});

// The issue's checks: every format_* pair scores exactly as its problem's identical pair; rename_locals > unrelated.
const FIELDS = ['ngram_match_score', 'weighted_ngram_score', 'ast_match_score', 'ast_node_overlap', 'ast_depth_similarity', 'dataflow_match_score', 'variable_flow_similarity', 'dependency_graph_similarity', 'code_bleu_score'];
const byProblem = new Map();
for (const r of scored) byProblem.set(r.problem, { ...(byProblem.get(r.problem) ?? {}), [r.kind]: r });
const formatMismatches = [];
const renameFailures = [];
for (const [problem, k] of byProblem) {
  for (const [kind, r] of Object.entries(k)) {
    if (!kind.startsWith('format_') || !k.identical) continue;
    const diff = FIELDS.filter((f) => r.ours[f] !== k.identical.ours[f]);
    if (diff.length > 0) formatMismatches.push(`${r.id}: ${diff.join(', ')}`);
  }
  if (k.rename_locals && k.unrelated && !(k.rename_locals.ours.code_bleu_score > k.unrelated.ours.code_bleu_score)) renameFailures.push(problem);
}

if (args.includes('--json')) {
  console.log(JSON.stringify({ pairs: rows.length, components: table, by_kind: byKind, format_mismatches: formatMismatches, rename_not_above_unrelated: renameFailures }, null, 2));
} else {
  console.log(`CodeBLEU on ${path.basename(file)}: ${rows.length} pairs, toolsmith vs the Python reference (oracle)\n`);
  if (!hasOracle) console.log('(no oracle scores in this file: agreement table skipped)');
  else console.log('| component | Pearson r | mean abs. diff | mean toolsmith | mean oracle |\n| --- | ---: | ---: | ---: | ---: |');
  for (const t of table) console.log(`| ${t.component} | ${t.pearson.toFixed(3)} | ${t.mean_abs_diff.toFixed(3)} | ${t.mean_toolsmith.toFixed(3)} | ${t.mean_oracle.toFixed(3)} |`);
  console.log('\nMeans per kind of candidate, toolsmith / oracle:\n');
  console.log('| kind | pairs | CodeBLEU | n-gram | weighted n-gram | syntax | dataflow |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  const pair = ([a, b]) => `${a.toFixed(2)} / ${Number.isNaN(b) ? '-' : b.toFixed(2)}`;
  for (const k of byKind) console.log(`| ${k.kind} | ${k.pairs} | ${pair([k.toolsmith, k.oracle])} | ${k.components.map(pair).join(' | ')} |`);
  console.log(`\nformat_* pairs scoring differently from their identical pair: ${formatMismatches.length}${formatMismatches.length ? `\n  ${formatMismatches.join('\n  ')}` : ''}`);
  console.log(`problems where rename_locals does not score above unrelated: ${renameFailures.length}${renameFailures.length ? ` (${renameFailures.join(', ')})` : ''}`);
}
