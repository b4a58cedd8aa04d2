import path from 'node:path';
import { IntegrityError } from '../models/errors.js';
import type { Permission } from '../models/index.js';
import { buildRelative } from '../models/package-layout.js';
import { readEntry, recordRun, recordRuns, versionDir, type RunOutcomeRecord } from '../stores/registry-store.js';
import { preloadRegistryLock } from '../stores/lock.js';
import { preloadAtomicWrite } from '../stores/atomic-write.js';
import { assertEntryAnchored, readAnchoredVersion, type AnchoredVersion } from '../stores/registry-anchor.js';
import { assertToolRef } from '../stores/tool-id.js';
import type { MetricsSink, ResolvedTool, ToolResolver } from './tool-runner.js';
import type { WallClock } from '../stores/file-snapshot.js';
import { createVerifiedFilesReader } from './verified-files.js';

/** The parts of a verified spec.json the runner needs. @throws IntegrityError when they are not there */
function parseVerifiedSpec(toolId: string, bytes: Buffer | undefined): { input_schema: object; output_schema: object; permissions: Permission[] } {
  const spec: unknown = bytes === undefined ? undefined : JSON.parse(bytes.toString('utf8'));
  const record = typeof spec === 'object' && spec !== null ? (spec as Record<string, unknown>) : {}; // `as`: an object, fields checked below
  const { input_schema: input, output_schema: output, permissions = [] } = record;
  if (typeof input !== 'object' || input === null || typeof output !== 'object' || output === null || !Array.isArray(permissions)) {
    throw new IntegrityError(`${toolId}: the promoted spec.json has no usable schemas`, 'promote the tool again');
  }
  return { input_schema: input, output_schema: output, permissions: permissions as Permission[] }; // `as`: the spec passed its zod schema at promote time
}

/**
 * Resolves promoted tools from registry/: every file of the version folder must match the
 * SHA-256 recorded at promote time (code, spec and compiled build alike). `name` runs the
 * version metadata.json names (anchored in its promote line); `name@version` may pin an
 * older one, whose hashes come from its own promote line in the intact audit chain. A
 * resolver keeps what it verified while the files stay exactly as they were (verified-files.ts):
 * `serve` resolves before every call. `clock`: the wall clock file times are compared with.
 */
export function createRegistryResolver(registryDir: string, clock?: WallClock): ToolResolver {
  const readVerifiedFiles = createVerifiedFilesReader(clock);
  // The same kept bytes (same files object) of the same version give the same ResolvedTool:
  // validators and schema checks keyed by its objects are found again instead of rebuilt.
  const built = new WeakMap<object, ResolvedTool>();
  return {
    async resolve(ref: string): Promise<ResolvedTool> {
      const { toolId, version } = assertToolRef(ref);
      const current = await readEntry(registryDir, toolId);
      let anchored: AnchoredVersion = current;
      if (version === null || version === current.version) await assertEntryAnchored(registryDir, toolId, current);
      else anchored = await readAnchoredVersion(registryDir, toolId, version);
      const dir = versionDir(registryDir, toolId, anchored.version);
      const { files, problems } = await readVerifiedFiles(dir, anchored.files);
      if (problems.length > 0) {
        const where = path.relative(process.cwd(), dir) || '.';
        throw new IntegrityError(`${toolId} ${anchored.version} fails its integrity check: ${problems.map((p) => path.join(where, p)).join(', ')}`, 'run `toolsmith verify` and restore the file, or promote the tool again');
      }
      const known = built.get(files);
      if (known !== undefined && known.toolId === toolId && known.version === anchored.version && known.codeHash === anchored.code_hash) return known;
      const spec = parseVerifiedSpec(toolId, files.get('spec.json'));
      const buildFiles = new Map<string, Uint8Array>();
      for (const [rel, bytes] of files) {
        const inside = buildRelative(rel);
        if (inside !== null) buildFiles.set(inside, bytes);
      }
      const tool: ResolvedTool = {
        toolId,
        version: anchored.version,
        codeHash: anchored.code_hash,
        schemas: { input_schema: spec.input_schema, output_schema: spec.output_schema },
        specFileHash: anchored.files['spec.json'],
        permissions: spec.permissions,
        buildFiles,
        ...(files.has('tests.json') ? { testsFile: files.get('tests.json') } : {}),
        ...(files.has('spec.json') ? { specFile: files.get('spec.json') } : {}),
      };
      built.set(files, tool);
      return tool;
    },
  };
}

/** How long a warm session's metrics may wait in memory before they are written. */
const DEFERRED_FLUSH_MS = 2_000;

/**
 * Records each run of a promoted tool in registry/metrics.json. A warm session's runs are
 * deferred: kept in memory and written together (one lock, one write) every couple of seconds
 * and when the session closes, so a batch does not pay a locked write per call.
 */
export function createRegistryMetricsSink(registryDir: string): MetricsSink {
  let deferred: Array<{ toolId: string; run: RunOutcomeRecord }> = [];
  let timer: NodeJS.Timeout | null = null;
  let writing: Promise<void> = Promise.resolve();
  const flush = (): Promise<void> => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    const runs = deferred;
    deferred = [];
    // Writes in order, one after the other.
    writing = writing.catch(() => undefined).then(() => recordRuns(registryDir, runs));
    return writing;
  };
  return {
    prepare() {
      preloadRegistryLock();
      preloadAtomicWrite();
    },
    async record(toolId, run, options) {
      // Only tools that exist get a metrics entry: a typo in a tool name must not create one.
      // The runner says whether it resolved the tool, so metadata.json is not read twice.
      // Input refused before the tool ran is no run (SPEC 10: bad input changes nothing).
      if (!run.resolved || run.counted === false) return;
      if (options?.defer !== true) return recordRun(registryDir, toolId, run);
      deferred.push({ toolId, run });
      // A failed background write surfaces at the session's close (flush), not as an unhandled rejection here.
      timer ??= setTimeout(() => void flush().catch(() => undefined), DEFERRED_FLUSH_MS).unref();
    },
    flush,
  };
}

/** A sink that keeps nothing (validation runs of candidates are not registry metrics). */
export const discardMetrics: MetricsSink = { record: async () => undefined };
