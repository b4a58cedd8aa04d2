import type { SemanticClosenessMetrics } from '../models/index.js';
import { runBundle, type BundleContext, type BundleRun } from './run-bundle.js';
import type { CandidateSnapshot } from './read-candidate.js';
import type { TestRunSummary } from './run-tests.js';

/** The runs the metrics need beyond index.ts, as data (computeCodeMetrics turns them into numbers). */
export interface MetricRuns {
  /** samples/*.ts in the order of samplesCorrect. */
  samples: string[];
  samplesCorrect: boolean[];
  reference: TestRunSummary | null;
  semantic?: SemanticClosenessMetrics;
  /** The samples' tool logs. */
  logs: string[];
  /** Why the reference did not build, when it did not. */
  errors: string[];
}

/** samples/*.ts of the package (direct children), in natural order: sample 2, 3, ... after index.ts. */
export function listSamples(files: Iterable<string>): string[] {
  return [...files].filter((rel) => /^samples\/[^/]+\.ts$/.test(rel)).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

/**
 * Runs every sample and the reference (when the package has one) against the tests; `prior`
 * gives a sample's run made earlier in this process on the same bytes (validate/prior-runs.ts).
 */
export async function runMetricSamples(
  ctx: BundleContext,
  candidate: Pick<CandidateSnapshot, 'files' | 'text'>,
  prior: (rel: string) => BundleRun | undefined = () => undefined,
): Promise<MetricRuns> {
  const runs: MetricRuns = { samples: listSamples(candidate.files.keys()), samplesCorrect: [], reference: null, logs: [], errors: [] };
  for (const sample of runs.samples) {
    const run = prior(sample) ?? (await runBundle(ctx, sample, sample));
    runs.logs.push(...run.logs);
    runs.samplesCorrect.push(run.summary?.results.every((r) => r.passed) ?? false);
  }
  const referenceText = candidate.text('reference.ts');
  if (referenceText !== null) {
    runs.semantic = await semanticCloseness(referenceText, candidate.text('index.ts') ?? '');
    const reference = await runBundle(ctx, 'reference.ts', 'reference.ts');
    runs.errors.push(...reference.errors);
    runs.reference = reference.summary;
  }
  return runs;
}

/** CodeBLEU of index.ts against reference.ts. Imported lazily: only candidates with a reference load it. */
async function semanticCloseness(reference: string, candidate: string): Promise<SemanticClosenessMetrics> {
  const { codeBleu } = await import('../metrics/code-bleu.js');
  return codeBleu(reference, candidate, { referenceFileName: 'reference.ts', candidateFileName: 'index.ts' });
}
