import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ExecutionMetrics, MetricsFile, RegistryMetadata, ToolRegistryEntry } from '../models/index.js';
import { parseStored } from '../models/stored.js';
import { NotFoundError, UserError } from '../models/errors.js';
import { parseJsonText } from './read-json.js';
import { writeJsonAtomically } from './atomic-write.js';
import { withRegistryLock } from './lock.js';
import { assertToolId } from './tool-id.js';
import { errnoCode } from '../models/errno-code.js';
import { createFileMemo } from './file-snapshot.js';

export const REGISTRY_SCHEMA_VERSION = '1.0.0';

export function metadataFile(registryDir: string): string {
  return path.join(registryDir, 'metadata.json');
}

export function metricsFile(registryDir: string): string {
  return path.join(registryDir, 'metrics.json');
}

/** The folder of one promoted version: registry/tools/<id>/<version>/. */
export function versionDir(registryDir: string, toolId: string, version: string): string {
  return path.join(registryDir, 'tools', assertToolId(toolId), version);
}

/** An empty registry's metadata. */
export function createEmptyMetadata(now: Date): RegistryMetadata {
  return { tools: {}, last_updated: now.toISOString(), schema_version: REGISTRY_SCHEMA_VERSION };
}

/** Reads registry/metadata.json; an absent file is an empty registry. @throws UserError when it is corrupt */
export async function readMetadata(registryDir: string): Promise<RegistryMetadata> {
  const file = metadataFile(registryDir);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return createEmptyMetadata(new Date(0));
    throw error;
  }
  return parseMetadata(text, file);
}

/** metadata.json's text as RegistryMetadata. @throws UserError when it is corrupt */
function parseMetadata(text: string, file: string): RegistryMetadata {
  const parsed = parseStored('RegistryMetadata', parseJsonText(text, file));
  if (!parsed.ok) throw new UserError(`${file}: corrupt registry metadata: ${parsed.problems}`, 'restore it from version control; `toolsmith verify` checks the rest');
  return parsed.value;
}

/**
 * metadata.json for the runner, which reads it before every call: read and validated again
 * only when the file changed (or its state is too recent to trust, or a second passed; see
 * file-snapshot.ts). The value is shared between calls: never modify it.
 */
const readKeptMetadata = createFileMemo((bytes, file) => parseMetadata(bytes.toString('utf8'), file), () => createEmptyMetadata(new Date(0)));

/** The registry entry of a promoted tool. @throws NotFoundError; UserError when metadata.json is corrupt */
export async function readEntry(registryDir: string, toolId: string): Promise<ToolRegistryEntry> {
  assertToolId(toolId);
  const metadata = readKeptMetadata(metadataFile(registryDir));
  const entry = metadata.tools[toolId];
  if (!entry) {
    throw new NotFoundError(`no promoted tool "${toolId}" in ${registryDir}`, 'list promoted tools with `toolsmith list`');
  }
  return entry;
}

/** Writes metadata.json atomically; call only under the registry lock. */
export async function writeMetadata(registryDir: string, metadata: RegistryMetadata): Promise<void> {
  const tools = Object.fromEntries(Object.entries(metadata.tools).sort(([a], [b]) => (a < b ? -1 : 1)));
  await writeJsonAtomically(metadataFile(registryDir), { ...metadata, tools });
}

/** Reads registry/metrics.json; absent means no runs yet. */
export async function readMetrics(registryDir: string): Promise<MetricsFile> {
  const file = metricsFile(registryDir);
  if (!existsSync(file)) return {};
  const parsed = parseStored('MetricsFile', parseJsonText(await readFile(file, 'utf8'), file));
  if (!parsed.ok) throw new UserError(`${file}: corrupt metrics: ${parsed.problems}`, 'delete metrics.json to start the counts afresh');
  return parsed.value;
}

export interface RunOutcomeRecord {
  ok: boolean;
  durationMs: number;
  at: Date;
  /** Whether the tool exists in the registry (found, whether or not it passed its integrity check); metrics are kept only for tools that exist. */
  resolved?: boolean;
  /** False when the caller's input was refused before the tool ran: no run of the tool, so no metrics (SPEC 10). */
  counted?: boolean;
  /** The caller cancelled the call and the tool was killed: an error run, also counted in `cancelled_count`. */
  cancelled?: boolean;
}

/** Folds one run into a tool's metrics; the average is a true running mean over every run. */
export function applyRunToMetrics(previous: ExecutionMetrics | undefined, run: RunOutcomeRecord): ExecutionMetrics {
  const base = previous ?? {
    success_count: 0,
    error_count: 0,
    last_execution_time_ms: 0,
    avg_execution_time_ms: 0,
    last_used: null,
    state: 'IDLE' as const,
  };
  const count = base.success_count + base.error_count;
  // Written once a run was cancelled, so the metrics of tools never cancelled keep their shape.
  const cancelled = (base.cancelled_count ?? 0) + (run.cancelled === true ? 1 : 0);
  return {
    success_count: base.success_count + (run.ok ? 1 : 0),
    error_count: base.error_count + (run.ok ? 0 : 1),
    last_execution_time_ms: run.durationMs,
    avg_execution_time_ms: (base.avg_execution_time_ms * count + run.durationMs) / (count + 1),
    last_used: run.at.toISOString(),
    state: run.ok ? 'SUCCESS' : 'ERROR',
    ...(cancelled > 0 ? { cancelled_count: cancelled } : {}),
  };
}

/** Records one run of a promoted tool in metrics.json, under the registry lock. */
export async function recordRun(registryDir: string, toolId: string, run: RunOutcomeRecord): Promise<void> {
  await recordRuns(registryDir, [{ toolId, run }]);
}

/** Records runs in metrics.json in their order, in one write under the registry lock (a warm session's calls). */
export async function recordRuns(registryDir: string, runs: ReadonlyArray<{ toolId: string; run: RunOutcomeRecord }>): Promise<void> {
  if (runs.length === 0) return;
  await withRegistryLock(registryDir, async () => {
    const metrics = await readMetrics(registryDir);
    for (const { toolId, run } of runs) metrics[toolId] = applyRunToMetrics(metrics[toolId], run);
    const sorted = Object.fromEntries(Object.entries(metrics).sort(([a], [b]) => (a < b ? -1 : 1)));
    await writeJsonAtomically(metricsFile(registryDir), sorted);
  });
}
