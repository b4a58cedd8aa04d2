// The live list of what `serve` offers. A promote from another terminal (or CI) changes
// registry/metadata.json and audit.jsonl; a saved pipeline changes pipelines/. The catalog
// notices by a cheap fingerprint of those files (a few stat calls), checked before every
// tools/list and tools/call and on a timer, and rebuilds; listeners hear when the list changed.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ToolResolver } from '../runner/index.js';
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

function statKey(file: string): string {
  try {
    const s = statSync(file);
    return `${s.ino}:${s.size}:${s.mtimeMs}`;
  } catch {
    return '-';
  }
}

/** What changes when the served list may have: metadata, audit log, and every saved pipeline file. */
function fingerprint(workspace: { root: string; registryDir: string }): string {
  const parts = [statKey(path.join(workspace.registryDir, 'metadata.json')), statKey(path.join(workspace.registryDir, 'audit.jsonl'))];
  const dir = path.join(workspace.root, PIPELINES_DIR);
  let names: string[] = [];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json')).sort();
  } catch {
    // no pipelines/ folder: nothing saved
  }
  for (const name of names) parts.push(`${name}=${statKey(path.join(dir, name))}`);
  return parts.join('|');
}

/** Builds the catalog (reads the registry once now). */
export async function createToolCatalog(options: ToolCatalogOptions): Promise<ToolCatalog> {
  let seen = '';
  let tools: ServedTool[] = [];
  let listed = '';
  let warned = '';
  let building: Promise<void> | null = null;

  const rebuild = async (): Promise<void> => {
    const now = fingerprint(options.workspace);
    if (now === seen) return;
    const read = await readServedTools(options.workspace, options.resolver);
    seen = now;
    tools = read.tools;
    const text = JSON.stringify(read.tools.map((t) => t.definition));
    const warnings = JSON.stringify(read.warnings);
    if (warnings !== warned) options.onWarnings(read.warnings);
    warned = warnings;
    const changed = listed !== '' && text !== listed;
    listed = text;
    if (changed) options.onChange();
  };
  // One rebuild at a time; callers arriving meanwhile wait for it.
  const refresh = async (): Promise<void> => {
    while (building !== null) await building;
    if (fingerprint(options.workspace) === seen) return;
    building = rebuild().finally(() => (building = null));
    await building;
  };
  await refresh();
  const timer = setInterval(() => void refresh().catch(() => undefined), options.pollMs ?? 500);
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
