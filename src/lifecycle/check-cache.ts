// candidate.json is a cache for display (SPEC 1): this decides whether it is one.
import { isDeepStrictEqual } from 'node:util';
import type { ToolCandidate } from '../models/index.js';
import { hashJson } from '../stores/hash.js';
import type { CacheView, CandidateHistory } from './candidate-state.js';

export type CacheVerdict =
  /** It equals the state after the tool's latest line. */
  | { kind: 'current' }
  /** It equals the state after an earlier line: a command was interrupted after its audit line. Harmless: readers follow the chain. */
  | { kind: 'stale'; line: number }
  /** It equals no state the chain ever had: edited by hand (or by an attacker). */
  | { kind: 'forged'; field: string; message: string };

/** Whether a cached status could have been written honestly from a state with these facts (under any policy). */
function statusFits(status: ToolCandidate['status'], view: CacheView): boolean {
  switch (status) {
    case 'DRAFT':
      return !view.promoted;
    case 'STAGED':
      return view.staged && !view.rejected && !view.promoted;
    case 'APPROVED':
      return view.staged && !view.rejected && view.approvals > 0;
    case 'REJECTED':
      return view.rejected;
    case 'PROMOTED':
      return view.promoted;
  }
}

interface Difference {
  field: string;
  cached: string;
  chain: string;
}

/** Every cached field that disagrees with a state (empty when the cache could be that state). */
function differences(c: ToolCandidate, reportHash: string | null, view: CacheView): Difference[] {
  const out: Difference[] = [];
  if (c.version !== view.version) out.push({ field: 'version', cached: c.version, chain: view.version ?? 'none' });
  if (c.created_by !== view.created_by) out.push({ field: 'created_by', cached: c.created_by, chain: view.created_by ?? 'none' });
  // A null report is what a record rewritten after an interrupted `validate` holds (the
  // report's body was lost; its verdict is in the chain): it claims nothing.
  if (reportHash !== null && reportHash !== view.report_sha256) {
    out.push({ field: 'validation_report', cached: `a report hashing to ${reportHash.slice(0, 12)}…`, chain: view.report_sha256 === null ? 'no validation' : `a report hashing to ${view.report_sha256.slice(0, 12)}…` });
  }
  if (!isDeepStrictEqual(c.user_feedback, view.user_feedback)) {
    const list = (f: ToolCandidate['user_feedback']) => (f.length ? f.map((x) => `${x.decision} by ${x.reviewer}`).join(', ') : 'no reviews');
    out.push({ field: 'user_feedback', cached: list(c.user_feedback), chain: list(view.user_feedback) });
  }
  if (c.code_hash !== view.code_hash) out.push({ field: 'code_hash', cached: c.code_hash.slice(0, 12), chain: view.code_hash.slice(0, 12) });
  if (c.spec_hash !== view.spec_hash) out.push({ field: 'spec_hash', cached: c.spec_hash.slice(0, 12), chain: view.spec_hash.slice(0, 12) });
  if (!statusFits(c.status, view)) out.push({ field: 'status', cached: c.status, chain: 'no line that allows it' });
  return out;
}

/**
 * Compares candidate.json with every state the chain gave the tool. Pure.
 * A match with the latest state is `current`, with an earlier one `stale`; no match is `forged`,
 * naming the first field that disagrees with the closest state.
 */
export function checkCandidateCache(candidate: ToolCandidate, history: Pick<CandidateHistory, 'snapshots'>, file: string): CacheVerdict {
  const reportHash = candidate.validation_report === null ? null : hashJson(candidate.validation_report);
  const snapshots = history.snapshots;
  const latest = snapshots.at(-1);
  if (!latest) return { kind: 'forged', field: 'tool_id', message: `${file}: the audit log has no generate line for ${candidate.tool_id}` };
  // The closest state (fewest differing fields, the latest on a tie) names what was edited.
  let closest: Difference[] | undefined;
  for (let i = snapshots.length - 1; i >= 0; i--) {
    const view = snapshots[i];
    if (!view) continue;
    const diffs = differences(candidate, reportHash, view);
    if (diffs.length === 0) return i === snapshots.length - 1 ? { kind: 'current' } : { kind: 'stale', line: latest.line };
    if (!closest || diffs.length < closest.length) closest = diffs;
  }
  const diff = closest?.[0];
  const field = diff?.field ?? 'status';
  return {
    kind: 'forged',
    field,
    message: `${file}: ${field} disagrees with the audit log (candidate.json has ${diff?.cached ?? '?'}, the log has ${diff?.chain ?? '?'})`,
  };
}
