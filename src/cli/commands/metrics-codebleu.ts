import { readFile } from 'node:fs/promises';
import { codeBleu, codeBleuCorpus, parseCodeBleuWeights, type CodeBleuWeights } from '../../metrics/code-bleu.js';
import { codeBleuRecord, parseCodeBleuPairs } from '../../metrics/codebleu-pairs.js';
import type { SemanticClosenessMetrics } from '../../models/index.js';
import { UserError } from '../../models/errors.js';
import { createIo } from '../io/output.js';
import { EXIT } from '../../models/exit-codes.js';
import type { Handler } from '../program.js';
import { errnoCode } from '../../models/errno-code.js';

const USAGE_HINT = 'use --reference A.ts --candidate B.ts, or --pairs FILE.jsonl';

async function readText(file: string, flag: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = errnoCode(error);
    throw new UserError(`${flag} ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a file' : `cannot read (${code ?? String(error)})`}`, USAGE_HINT);
  }
}

function weightsFrom(value: unknown): CodeBleuWeights | undefined {
  if (value === undefined) return undefined;
  try {
    return parseCodeBleuWeights(String(value));
  } catch (error) {
    throw new UserError(`--weights: ${error instanceof Error ? error.message : String(error)}`, 'e.g. --weights 0.25,0.25,0.25,0.25 (n-gram, weighted n-gram, AST, data flow)');
  }
}

const fmt = (x: number) => x.toFixed(4);
function line(label: string, m: SemanticClosenessMetrics): string {
  return `${label}  CodeBLEU ${fmt(m.code_bleu_score)}  (n-gram ${fmt(m.ngram_match_score)}, weighted ${fmt(m.weighted_ngram_score)}, AST ${fmt(m.ast_match_score)}, dataflow ${fmt(m.dataflow_match_score)})`;
}

function details(m: SemanticClosenessMetrics): string {
  const p = m.ngram_precision;
  return [
    `  n-gram precision 1-4: ${['1', '2', '3', '4'].map((k) => fmt(p[k] ?? 0)).join(' ')}`,
    `  AST node overlap ${fmt(m.ast_node_overlap)}, depth similarity ${fmt(m.ast_depth_similarity)}`,
    `  variable-flow similarity ${fmt(m.variable_flow_similarity)}, dependency-graph similarity ${fmt(m.dependency_graph_similarity)}`,
    `  weights: n-gram ${m.weights.ngram}, weighted ${m.weights.weighted_ngram}, AST ${m.weights.ast}, dataflow ${m.weights.dataflow}`,
  ].join('\n');
}

const codeBleuCommand: Handler = async (_args, flags) => {
  const io = await createIo(flags);
  const weights = weightsFrom(flags['weights']);
  const pairsFile = flags['pairs'] as string | undefined; // safe: commander gives strings for value options
  const referenceFile = flags['reference'] as string | undefined; // safe: as above
  const candidateFile = flags['candidate'] as string | undefined; // safe: as above
  if (pairsFile !== undefined) {
    if (referenceFile !== undefined || candidateFile !== undefined) throw new UserError('--pairs cannot be combined with --reference/--candidate', USAGE_HINT);
    let pairs;
    try {
      pairs = parseCodeBleuPairs(await readText(pairsFile, '--pairs'), pairsFile);
    } catch (error) {
      if (error instanceof SyntaxError) throw new UserError(error.message, 'each line must be a JSON object { "id", "reference", "candidate" }');
      throw error;
    }
    const result = codeBleuCorpus(pairs, weights ? { weights } : {});
    const records = pairs.map((p, i) => codeBleuRecord(p.id, result.pairs[i]!)); // safe: one result per pair
    io.result({ pairs: records, corpus: { pairs: pairs.length, ...codeBleuRecord('corpus', result.corpus) } }, () =>
      [...pairs.map((p, i) => line(p.id, result.pairs[i]!)), line(`corpus (${pairs.length} pairs, pooled counts)`, result.corpus)].join('\n')); // safe: as above
    return EXIT.OK;
  }
  if (referenceFile === undefined || candidateFile === undefined) throw new UserError(`missing ${referenceFile === undefined ? '--reference' : '--candidate'}`, USAGE_HINT);
  const [reference, candidate] = [await readText(referenceFile, '--reference'), await readText(candidateFile, '--candidate')];
  const metrics = codeBleu(reference, candidate, { referenceFileName: referenceFile, candidateFileName: candidateFile, ...(weights ? { weights } : {}) });
  io.result(codeBleuRecord(candidateFile, metrics), () => `${line(candidateFile, metrics)}\n${details(metrics)}`);
  return EXIT.OK;
};
export default codeBleuCommand;
