import type { SemanticClosenessMetrics } from '../models/index.js';

/** One line of a `--pairs` file. */
export interface LabelledPair {
  id: string;
  reference: string;
  candidate: string;
}

/**
 * Parses a JSON Lines file of `{ "id", "reference", "candidate" }` objects (other fields
 * ignored; blank lines skipped; a missing id becomes `line N`).
 * @throws SyntaxError naming the 1-based line of the first bad line
 */
export function parseCodeBleuPairs(text: string, label: string): LabelledPair[] {
  const pairs: LabelledPair[] = [];
  const lines = text.split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    const where = `${label}:${index + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new SyntaxError(`${where}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new SyntaxError(`${where}: expected a JSON object with "reference" and "candidate"`);
    const record = value as Record<string, unknown>; // safe: checked to be a non-array object
    for (const field of ['reference', 'candidate']) {
      if (typeof record[field] !== 'string') throw new SyntaxError(`${where}: "${field}" must be a string of source code`);
    }
    const id = record['id'];
    if (id !== undefined && typeof id !== 'string' && typeof id !== 'number') throw new SyntaxError(`${where}: "id" must be a string or a number`);
    pairs.push({ id: id === undefined ? `line ${index + 1}` : String(id), reference: String(record['reference']), candidate: String(record['candidate']) });
  }
  if (pairs.length === 0) throw new SyntaxError(`${label}: no pairs (expected one JSON object per line)`);
  return pairs;
}

/** The per-pair JSON shape of `metrics codebleu`: the id and the four components first, then every other field. */
export function codeBleuRecord(id: string, metrics: SemanticClosenessMetrics): Record<string, unknown> {
  const { code_bleu_score, ngram_match_score, weighted_ngram_score, ast_match_score, dataflow_match_score, ...rest } = metrics;
  return { id, code_bleu_score, ngram_match_score, weighted_ngram_score, ast_match_score, dataflow_match_score, ...rest };
}
