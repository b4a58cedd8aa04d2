import { createHash } from 'node:crypto';
import type { SandboxConfig } from '../models/index.js';
import type { GateResult } from './gate-result.js';
import type { BundleRun } from './run-bundle.js';
import type { CandidateSnapshot } from './read-candidate.js';

/** What validating one implementation found: its typecheck and its test run in the sandbox. */
export interface PriorRun {
  typecheck: GateResult;
  run: BundleRun;
}

/**
 * Results of implementations validated earlier in this process, keyed by the SHA-256 of
 * their source, for one spec, one tests.json and one set of limits. `generate --llm`
 * validates every sample as it arrives, then validates the finished candidate: its index.ts
 * and samples/ are those very sources, and running them again in the sandbox would double the
 * work without adding evidence. Only this process fills it (never a file), and a snapshot it
 * does not fit (other spec, tests, limits, or fixtures/ a run could read) gets nothing from it.
 */
export class PriorRuns {
  private readonly runs = new Map<string, PriorRun>();
  private constructor(
    private readonly specHash: string,
    private readonly testsHash: string,
    private readonly limits: string,
  ) {}

  /** A cache for implementations of the spec with that spec_hash, run against `testsJson` under `limits`. */
  static create(specHash: string, testsJson: string, limits: SandboxConfig): PriorRuns {
    return new PriorRuns(specHash, sha256(testsJson), JSON.stringify(limits));
  }

  /** Whether a snapshot's spec, tests and limits are the ones these runs were made with. */
  fits(snapshot: Pick<CandidateSnapshot, 'files' | 'hashes'>, limits: SandboxConfig): boolean {
    const tests = snapshot.files.get('tests.json');
    if (tests === undefined || snapshot.hashes.spec_hash !== this.specHash || sha256(tests) !== this.testsHash) return false;
    if (JSON.stringify(limits) !== this.limits) return false;
    return ![...snapshot.files.keys()].some((rel) => rel.startsWith('fixtures/'));
  }

  record(source: string | Buffer, run: PriorRun): void {
    this.runs.set(sha256(source), run);
  }

  lookup(source: string | Buffer | undefined): PriorRun | undefined {
    return source === undefined ? undefined : this.runs.get(sha256(source));
  }
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
