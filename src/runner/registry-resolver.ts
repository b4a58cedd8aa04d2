import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { IntegrityError } from '../models/errors.js';
import type { Permission } from '../models/index.js';
import { checkFileManifest } from '../stores/file-manifest.js';
import { readEntry, recordRun, versionDir } from '../stores/registry-store.js';
import { assertEntryAnchored } from '../stores/registry-anchor.js';
import type { MetricsSink, ResolvedTool, ToolResolver } from './tool-runner.js';

/**
 * Resolves promoted tools from registry/: every file of the version folder must match the
 * SHA-256 recorded at promote time (code, spec, compiled build and validators alike).
 */
export function createRegistryResolver(registryDir: string): ToolResolver {
  return {
    async resolve(toolId: string): Promise<ResolvedTool> {
      const entry = await readEntry(registryDir, toolId);
      await assertEntryAnchored(registryDir, toolId, entry);
      const dir = versionDir(registryDir, toolId, entry.version);
      const problems = await checkFileManifest(dir, entry.files);
      if (problems.length > 0) {
        const list = problems.map((p) => `${path.join(path.relative(process.cwd(), dir) || '.', p.file)} (${p.problem})`).join(', ');
        throw new IntegrityError(`${toolId} ${entry.version} fails its integrity check: ${list}`, 'run `toolsmith verify` and restore the file, or promote the tool again');
      }
      // spec.json is covered by the manifest just checked; only its permissions are needed here.
      const spec = JSON.parse(await readFile(path.join(dir, 'spec.json'), 'utf8')) as { permissions?: Permission[] };
      return { toolId, version: entry.version, codeHash: entry.code_hash, packageDir: dir, permissions: spec.permissions ?? [] };
    },
  };
}

/** Records each run of a promoted tool in registry/metrics.json. */
export function createRegistryMetricsSink(registryDir: string): MetricsSink {
  return {
    async record(toolId, run) {
      // Only tools that exist get a metrics entry: a typo in a tool name must not create one.
      // The runner says whether it resolved the tool, so metadata.json is not read twice.
      if (run.resolved) await recordRun(registryDir, toolId, run);
    },
  };
}

/** A sink that keeps nothing (validation runs of candidates are not registry metrics). */
export const discardMetrics: MetricsSink = { record: async () => undefined };
