import { readCandidate, readCurrentHashes, writeCandidate, candidateDir } from '../stores/staged-store.js';
import { readAuditChain } from '../stores/audit-log.js';
import { recordTransition } from '../stores/record-transition.js';
import { openWorkspace, type CommandOptions } from '../workspace/open-workspace.js';
import { planTransition, type TransitionPlan } from './plan-transition.js';
import type { LifecycleAction } from './transitions.js';
import type { ToolCandidate } from '../models/index.js';

export interface TransitionOptions extends CommandOptions {
  toolId: string;
  reviewer?: string | undefined;
  notes?: string | undefined;
}

export interface TransitionResult {
  tool_id: string;
  action: LifecycleAction;
  from: string;
  to: string;
  candidate: ToolCandidate;
}

/** Who generated a candidate, from the audit log's latest `generate` line for it. */
async function findAuthor(registryDir: string, toolId: string): Promise<string | undefined> {
  const { records } = await readAuditChain(registryDir);
  return records.filter((r) => r.tool_id === toolId && r.action === 'generate').at(-1)?.actor;
}

/**
 * stage, approve and reject: plan under the guard (nothing written on refusal), then
 * audit, then the candidate record.
 */
export async function applyCandidateTransition(action: 'stage' | 'approve' | 'reject', options: TransitionOptions): Promise<TransitionResult> {
  const { workspace, config, now, actor } = await openWorkspace(options);
  const candidate = await readCandidate(workspace.stagedDir, options.toolId);
  const current = await readCurrentHashes(candidateDir(workspace.stagedDir, options.toolId));
  const at = now();
  const author = action === 'approve' ? await findAuthor(workspace.registryDir, options.toolId) : undefined;
  const plan: TransitionPlan = planTransition(candidate, action, {
    current,
    policy: config.policy,
    now: at,
    reviewer: action === 'stage' ? actor : options.reviewer,
    notes: options.notes,
    author,
  });
  await recordTransition(workspace.registryDir, {
    action,
    tool_id: candidate.tool_id,
    version: candidate.version,
    actor: action === 'stage' ? actor : (options.reviewer ?? actor),
    ...current,
  }, at);
  await writeCandidate(workspace.stagedDir, plan.next);
  return { tool_id: candidate.tool_id, action, from: plan.from, to: plan.next.status, candidate: plan.next };
}
