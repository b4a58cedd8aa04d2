import { listCandidateIds } from '../stores/staged-store.js';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { readMetadata, readMetrics, versionDir } from '../stores/registry-store.js';
import { listSavedPipelines } from '../stores/pipeline-store.js';
import { openWorkspace, type CommandOptions } from '../workspace/open-workspace.js';
import { effectiveStatus } from './candidate-state.js';
import { openCandidate } from './open-candidate.js';
import { UserError } from '../models/errors.js';

export interface ListedCandidate {
  tool_id: string;
  /** null when the candidate is BROKEN (its record or spec cannot be read). */
  version: string | null;
  /** The effective status, or BROKEN when the candidate's files cannot be read. */
  status: string;
  /** What is wrong with a BROKEN candidate. */
  problem?: string;
  /** True when the files changed since validation (the effective status is then DRAFT). */
  changed: boolean;
  /** Integrity findings (a candidate.json that disagrees with the audit log, a broken chain). */
  warnings: string[];
  quality_tier: string | null;
  description: string;
}

export interface ListedTool {
  tool_id: string;
  version: string;
  promoted_at: string;
  description: string;
  runs: number;
}

export interface ListedPipeline {
  name: string;
  /** The steps, or null when the file cannot be read (then `problem` says why). */
  tools: string[] | null;
  description: string;
  problem?: string;
}

export interface ListResult {
  workspace: string;
  candidates: ListedCandidate[];
  tools: ListedTool[];
  /** Saved pipelines: pipelines/NAME.json. */
  pipelines: ListedPipeline[];
}

/** `list`: candidates in staged/ (with their effective status) and promoted tools. */
export async function listTools(options: CommandOptions): Promise<ListResult> {
  const open = await openWorkspace(options);
  const { workspace } = open;
  const candidates: ListedCandidate[] = [];
  for (const id of await listCandidateIds(workspace.stagedDir)) {
    // The audit chain gives the status (signatures are not checked here: list never spawns ssh-keygen).
    let ctx: Awaited<ReturnType<typeof openCandidate>>;
    try {
      ctx = await openCandidate(open, id, { strict: false, checkSignatures: false, cwd: options.cwd });
    } catch (error) {
      // One unreadable candidate must not hide the others: it is listed as BROKEN, with why.
      if (!(error instanceof UserError)) throw error;
      candidates.push({ tool_id: id, version: null, status: 'BROKEN', problem: error.message, changed: false, warnings: [], quality_tier: null, description: '' });
      continue;
    }
    const state = ctx.history.state;
    const status = effectiveStatus(state, ctx.current);
    candidates.push({
      tool_id: id,
      version: state.version ?? ctx.record.version,
      status,
      changed: status !== state.status,
      warnings: ctx.warnings,
      quality_tier: state.validation?.verdict.quality_tier ?? null,
      description: ctx.record.spec.description,
    });
  }
  const [metadata, metrics] = await Promise.all([readMetadata(workspace.registryDir), readMetrics(workspace.registryDir)]);
  const tools = await Promise.all(
    Object.entries(metadata.tools).map(async ([id, entry]): Promise<ListedTool> => ({
      tool_id: id,
      version: entry.version,
      promoted_at: entry.promoted_at,
      description: await readDescription(path.join(versionDir(workspace.registryDir, id, entry.version), 'spec.json')),
      runs: (metrics[id]?.success_count ?? 0) + (metrics[id]?.error_count ?? 0),
    })),
  );
  const pipelines = (await listSavedPipelines(workspace.root)).map((saved): ListedPipeline => ({
    name: saved.name,
    tools: saved.definition?.tools ?? null,
    description: saved.definition?.description ?? '',
    ...(saved.problem === undefined ? {} : { problem: saved.problem }),
  }));
  return { workspace: workspace.root, candidates, tools, pipelines };
}

/** A promoted spec's description, for display only (`verify` checks the file's integrity). */
async function readDescription(specFile: string): Promise<string> {
  try {
    const spec = JSON.parse(await readFile(specFile, 'utf8')) as { description?: unknown }; // safe: description is typed unknown and checked before use
    return typeof spec.description === 'string' ? spec.description : '';
  } catch {
    return '(spec.json unreadable: run `toolsmith verify`)';
  }
}
