// The live list of what `serve` offers. A promote from another terminal (or CI) changes
// registry/metadata.json and audit.jsonl; a saved pipeline changes pipelines/. The catalog
// notices by a cheap fingerprint of those files (a few lstat calls), checked before every
// tools/list and tools/call and on a timer, and rebuilds; listeners hear when the list changed.
// The list only names what is served: every call is still resolved and verified by the runner.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { ToolResolver } from '../runner/index.js';
import { entryState } from '../stores/file-snapshot.js';
import { PIPELINES_DIR } from '../stores/pipeline-store.js';
import type { ServedTool } from './describe-tool.js';
import { readServedTools } from './read-served-tools.js';

export interface ToolCatalog {
  /** The current list (rebuilt first when the registry or pipelines/ changed). */
  list(): Promise<ServedTool[]>;
  /** One served tool by name, or null; a name not yet known makes the catalog look again. */
  find(name: string): Promise<ServedTool | null>;
  /** Stops the timer. */
  close(): void;
}

export interface ToolCatalogOptions {
  workspace: { root: string; registryDir: string };
  resolver: ToolResolver;
  /** Called when the list of tools (names, schemas, descriptions) changed. */
  onChange: () => void;
  /** Called with the reasons a tool or pipeline is not served, when they change. */
  onWarnings: (warnings: string[]) => void;
  /** How often the timer looks for changes (ms; default 500). */
  pollMs?: number;
}

/**
 * What changes when the served list may have: metadata, audit log, the pipelines/ folder and
 * every saved pipeline file, by their full state (file-snapshot.ts). `racy`: a state was too
 * recent to be trusted (a change in the same clock tick could share it), so the timer reads
 * the list again until it has aged.
 */
function fingerprint(workspace: { root: string; registryDir: string }): { key: string; racy: boolean } {
  const now = Date.now();
  let racy = false;
  const key = (file: string): string => {
    const state = entryState(file, () => now);
    if (state === null) return '-';
    racy ||= !state.trusted;
    return state.key;
  };
  const dir = path.join(workspace.root, PIPELINES_DIR);
  const parts = [key(path.join(workspace.registryDir, 'metadata.json')), key(path.join(workspace.registryDir, 'audit.jsonl')), key(dir)];
  let names: string[] = [];
  // No pipelines/ folder (the usual case) costs one lstat, not a failed listing.
  if (parts[2] !== '-') {
    try {
      names = readdirSync(dir).filter((n) => n.endsWith('.json')).sort();
    } catch {
      // not a folder: nothing saved
    }
  }
  for (const name of names) parts.push(`${name}=${key(path.join(dir, name))}`);
  return { key: parts.join('|'), racy };
}

/** Builds the catalog (reads the registry once now). */
export async function createToolCatalog(options: ToolCatalogOptions): Promise<ToolCatalog> {
  let seen = '';
  let seenRacy = false;
  let tools: ServedTool[] = [];
  let listed = '';
  let warned = '';
  let building: Promise<void> | null = null;

  const rebuild = async (): Promise<void> => {
    const now = fingerprint(options.workspace);
    const read = await readServedTools(options.workspace, options.resolver);
    seen = now.key;
    seenRacy = now.racy;
    tools = read.tools;
    const text = JSON.stringify(read.tools.map((t) => t.definition));
    const warnings = JSON.stringify(read.warnings);
    if (warnings !== warned) options.onWarnings(read.warnings);
    warned = warnings;
    const changed = listed !== '' && text !== listed;
    listed = text;
    if (changed) options.onChange();
  };
  // One rebuild at a time; callers arriving meanwhile wait for it. A call rebuilds when the
  // fingerprint changed; the timer also while the last one was racy.
  const refresh = async (timer = false): Promise<void> => {
    while (building !== null) await building;
    if (fingerprint(options.workspace).key === seen && !(timer && seenRacy)) return;
    building = rebuild().finally(() => (building = null));
    await building;
  };
  await refresh();
  const timer = setInterval(() => void refresh(true).catch(() => undefined), options.pollMs ?? 500);
  timer.unref();
  return {
    async list() {
      await refresh();
      return tools;
    },
    async find(name) {
      await refresh();
      return tools.find((t) => t.definition.name === name) ?? null;
    },
    close: () => clearInterval(timer),
  };
}
