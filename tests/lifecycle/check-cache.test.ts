/**
 * candidate.json is a cache (issue 8, item 1): a record equal to a state the chain gave is
 * current or stale (harmless); anything else is forged, naming the field. Pure.
 */
import { describe, expect, it } from 'vitest';
import { checkCandidateCache } from '../../src/lifecycle/check-cache.js';
import type { CacheView } from '../../src/lifecycle/candidate-state.js';
import { ToolSpec, type ToolCandidate, type ValidationReport } from '../../src/models/index.js';
import { hashJson } from '../../src/stores/hash.js';
import { WORD_COUNT_SPEC } from '../helpers.js';
import { HASHES, NOW, approve, fold, gen, stage, val, verdict } from './chain-fixtures.js';

const FILE = 'staged/word_count/candidate.json';

function report(): ValidationReport {
  return {
    schema_ok: true, typecheck_ok: true, tests_ok: true, sandbox_ok: true, scan_ok: true, is_valid: true,
    logs: [], errors: [], findings: [], code_metrics: null, ...HASHES, validated_at: NOW.toISOString(), duration_ms: 1,
  };
}
const REPORT = report();
const LINES = [gen(), val(HASHES, verdict({ report_sha256: hashJson(REPORT) })), stage(), approve('alice')];

/** candidate.json as toolsmith writes it for a state. */
function cacheOf(view: CacheView, status: ToolCandidate['status'], overrides: Partial<ToolCandidate> = {}): ToolCandidate {
  return {
    tool_id: 'word_count',
    version: view.version ?? '?',
    spec: ToolSpec.parse(WORD_COUNT_SPEC),
    package_path: 'staged/word_count',
    code_hash: view.code_hash,
    spec_hash: view.spec_hash,
    status,
    validation_report: view.report_sha256 ? REPORT : null,
    run_artifacts: null,
    user_feedback: view.user_feedback,
    created_at: NOW.toISOString(),
    created_by: view.created_by ?? '?',
    dependencies: [],
    ...overrides,
  };
}

describe('checkCandidateCache', () => {
  const history = fold(LINES);
  const latest = history.snapshots.at(-1)!;

  it('the record written after the last line is current; one written after an earlier line is stale', () => {
    expect(checkCandidateCache(cacheOf(latest, 'APPROVED'), history, FILE)).toEqual({ kind: 'current' });
    const afterStage = history.snapshots[2]!;
    expect(checkCandidateCache(cacheOf(afterStage, 'STAGED'), history, FILE)).toEqual({ kind: 'stale', line: 4 });
    const afterGenerate = history.snapshots[0]!;
    expect(checkCandidateCache(cacheOf(afterGenerate, 'DRAFT'), history, FILE).kind).toBe('stale');
    // A report lost by an interrupted validate (null) claims nothing.
    expect(checkCandidateCache(cacheOf(latest, 'APPROVED', { validation_report: null }), history, FILE)).toEqual({ kind: 'current' });
  });

  it('a status no line allows (APPROVED without any approval) is forged, naming status', () => {
    const staged = fold(LINES.slice(0, 3));
    const forged = checkCandidateCache(cacheOf(staged.snapshots.at(-1)!, 'APPROVED'), staged, FILE);
    expect(forged).toMatchObject({ kind: 'forged', field: 'status' });
    expect(forged.kind === 'forged' && forged.message).toMatch(/status disagrees with the audit log \(candidate\.json has APPROVED/);
  });

  it.each([
    ['user_feedback', { status: 'APPROVED', user_feedback: [{ decision: 'APPROVED', reviewer: 'mallory2', actor: 'mallory2', notes: '', timestamp: NOW.toISOString(), ...HASHES }] }, 4, /user_feedback disagrees .*APPROVED by mallory2, the log has APPROVED by alice/],
    ['version', { version: '9.0.0' }, 3, /version disagrees .*9\.0\.0.*1\.0\.0/],
    ['validation_report', { validation_report: { ...REPORT, tests_ok: false, is_valid: false } }, 3, /validation_report disagrees/],
    ['created_by', { created_by: 'human:alice' }, 3, /created_by disagrees/],
  ] as const)('a hand-edited %s is forged, named in the message', (field, overrides, snapshot, message) => {
    const view = history.snapshots[snapshot - 1]!;
    const base = cacheOf(view, 'STAGED');
    const verdictOf = checkCandidateCache({ ...base, ...overrides } as ToolCandidate, history, FILE);
    expect(verdictOf).toMatchObject({ kind: 'forged', field });
    expect(verdictOf.kind === 'forged' && verdictOf.message).toMatch(message);
  });

  it('a record with no generate line behind it is forged', () => {
    const v = checkCandidateCache(cacheOf(latest, 'DRAFT'), { snapshots: [] }, FILE);
    expect(v).toMatchObject({ kind: 'forged', message: `${FILE}: the audit log has no generate line for word_count` });
  });
});
