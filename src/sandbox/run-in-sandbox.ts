import { randomBytes } from 'node:crypto';
import { chmod, copyFile, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { classifyOutcome } from './classify-outcome.js';
import type { LaunchPlan } from './create-node-command.js';
import { createOsCommand } from './create-os-command.js';
import { createProtections, type ProtectionFacts } from './create-protections.js';
import { createRunFolder, removeRunFolderLater, type RunFolder } from './create-run-folder.js';
import { findLauncher, markLauncher, permissionFlag, type LauncherName } from './node-launchers.js';
import { bwrapVersion, INSTALL_HINT, isRoot, markOsLayerBroken, markOsLayerWorks, osLayer } from './os-layer.js';
import type { ReadAccess } from './plan-read-access.js';
import type { HarnessRequest } from './protocol.js';
import { spawnChild, type ChildReport } from './spawn-child.js';
import type { SandboxLimits, SandboxOutcome, SandboxRequest } from './types.js';
import { errnoCode } from '../models/errno-code.js';
import { BUILT_ENTRY } from '../models/package-layout.js';

/** Room on fd 3 beyond the result itself: the reply's framing and an error's (capped) message and stack. */
const REPLY_OVERHEAD_BYTES = 128 * 1024;
/** How many files a tool may leave in its output folder. */
const MAX_OUTPUT_FILES = 1_000;

/**
 * Runs one call of a tool (SPEC 8) and reports what happened as data: it never throws for
 * anything the tool does. Under the OS layer: bubblewrap around node's permission model, in
 * a root built from nothing; without it (isolation "node", or "auto" where bubblewrap does
 * not work): the permission model alone, with a warning in `protections`.
 * @throws TypeError when the request itself is malformed (a bug in the caller).
 */
export async function runInSandbox(request: SandboxRequest): Promise<SandboxOutcome> {
  assertRequest(request);
  const flag = permissionFlag();
  if (flag === null) return refuse(request, 'crash', `Node ${process.version} has no permission model; refusing to run tool code unsandboxed`);
  const entry = request.entry ?? BUILT_ENTRY;
  if (!request.buildFiles.has(entry)) return refuse(request, 'crash', `the tool's entry module does not exist: build/${entry}`);

  let state = request.isolation === 'node' ? null : osLayer(request.cacheDir ?? null);
  if (state !== null && !state.ok && request.isolation === 'os') return refuseIsolation(request, state.reason);
  const root = isRoot();
  const folder = await createRunFolder(request.buildFiles, state?.ok === true && root);
  try {
    const fixtures = await copyFixtures(request, folder);
    for (;;) {
      const layer = state?.ok === true ? state.layer : null;
      // As root under the OS layer the sandbox runs as nobody: mount only what nobody may read.
      // Loaded only when needed: every module is start-up time on the `toolsmith run` hot path.
      const access = request.permissions.includes('fs:read') && fixtures === null
        ? (await import('./plan-read-access.js')).planReadAccess(request.readPaths ?? [], request.maskedPaths ?? [], layer !== null && root)
        : null;
      const nonce = randomBytes(16).toString('hex');
      if (layer !== null) {
        const version = bwrapVersion(layer.bwrap);
        const launch = createOsCommand(request, folder, layer, access, fixtures, flag);
        const report = await spawnChild(launch.command, spawnOptions(request, createHarnessRequest(request, nonce, launch.entryUrl, '/work', true)));
        const failure = osLaunchFailure(report);
        if (failure !== null) {
          markOsLayerBroken(failure);
          if (request.isolation === 'os') return refuseIsolation(request, failure);
          state = osLayer();
          continue;
        }
        markOsLayerWorks();
        const os = { version: await version, namespaces: launch.namespaces, seccomp: launch.seccomp };
        const protections = createProtections(facts(request, os, false, launch.limitsApplied, null, access));
        return refuseUngrantedFiles(request, classifyOutcome(report, { nonce, limits: request.limits, protections }));
      }
      const plan = planNodeLaunch(request);
      const { createNodeCommand } = await import('./create-node-command.js');
      const launch = createNodeCommand(request, folder, plan, access, fixtures, flag);
      const report = await spawnChild(launch.command, spawnOptions(request, createHarnessRequest(request, nonce, launch.entryUrl, folder.workDir, plan.unshare !== null)));
      const failed = failedLauncher(report, plan);
      if (failed !== null) {
        markLauncher(failed, false);
        continue;
      }
      if (report.ready) learnLaunchersWork(plan);
      const offReason = state !== null && !state.ok ? state.reason : null;
      const protections = createProtections(facts(request, null, plan.unshare !== null, plan.prlimit !== null, offReason, access));
      return refuseUngrantedFiles(request, classifyOutcome(report, { nonce, limits: request.limits, protections }));
    }
  } finally {
    removeRunFolderLater(folder);
  }
}

export function facts(request: SandboxRequest, os: ProtectionFacts['os'], networkNamespace: boolean, limitsApplied: boolean, osOffReason: string | null, access: ReadAccess | null): ProtectionFacts {
  return {
    limits: request.limits,
    permissions: request.permissions,
    permissionModel: true,
    os,
    networkNamespace,
    limitsApplied,
    isolation: request.isolation,
    osOffReason,
    skippedReadPaths: access?.skipped ?? [],
  };
}

export function createHarnessRequest(request: SandboxRequest, nonce: string, entryUrl: string, workDir: string, networkNamespace: boolean): string {
  const allowNetwork = request.permissions.includes('net');
  const harnessRequest: HarnessRequest = {
    nonce,
    entryUrl,
    input: request.input,
    maxOutputBytes: request.limits.maxOutputBytes,
    allowNetwork,
    refuseNetwork: !allowNetwork && !networkNamespace,
    outputDir: request.permissions.includes('fs:write') ? workDir : null,
    outputSkip: ['fixtures'],
    maxFileBytes: request.limits.maxScratchMb * 1024 * 1024,
    maxFiles: MAX_OUTPUT_FILES,
  };
  return JSON.stringify(harnessRequest);
}

function spawnOptions(request: SandboxRequest, text: string) {
  const { limits } = request;
  const stdin = request.admit === undefined ? text : request.admit.then((admitted) => (admitted ? text : null));
  const signal = request.signal === undefined ? {} : { signal: request.signal };
  const onSpawn = request.onSpawn === undefined ? {} : { onSpawn: request.onSpawn };
  return { stdin, timeoutMs: limits.timeoutMs, maxResultBytes: maxReplyBytes(request), maxLogBytes: limits.maxOutputBytes, ...signal, ...onSpawn };
}

/** What fd 3 may carry for one call: the result, its output files and the reply's framing. */
export function maxReplyBytes(request: Pick<SandboxRequest, 'limits' | 'permissions'>): number {
  const { limits } = request;
  // Output files travel base64-encoded in the reply: 4 bytes for every 3.
  const fileBytes = request.permissions.includes('fs:write') ? Math.ceil((limits.maxScratchMb * 1024 * 1024 * 4) / 3) : 0;
  return limits.maxOutputBytes + fileBytes + REPLY_OVERHEAD_BYTES;
}

/**
 * During validation the package's fixtures/ is copied into the run folder: regular files and
 * folders only (a symbolic link could point anywhere on the host), readable by the sandbox
 * user. Returns the copy, or null when there are none.
 */
export async function copyFixtures(request: SandboxRequest, folder: RunFolder): Promise<string | null> {
  if (request.fixturesDir === undefined || request.fixturesDir === null) return null;
  const target = path.join(folder.workDir, 'fixtures');
  const copyTree = async (from: string, to: string, depth: number): Promise<void> => {
    await mkdir(to, { recursive: true, mode: 0o755 });
    if (depth > 32) return;
    for (const entry of await readdir(from, { withFileTypes: true })) {
      if (entry.isDirectory()) await copyTree(path.join(from, entry.name), path.join(to, entry.name), depth + 1);
      else if (entry.isFile()) {
        await copyFile(path.join(from, entry.name), path.join(to, entry.name));
        await chmod(path.join(to, entry.name), 0o644);
      }
    }
  };
  try {
    await copyTree(request.fixturesDir, target, 0);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return null;
    throw error;
  }
  if (isRoot()) await chmod(folder.workDir, 0o755);
  return target;
}

/**
 * Whether bubblewrap (or the chain in front of it) failed before Node started: any failure
 * before the harness's ready byte, which comes before any tool code runs, so whatever stderr
 * says here came from the launch, not from a tool (a tool printing "bwrap: ..." later cannot
 * talk the sandbox out of the OS layer). A Node that cannot start at all fails the same way
 * without bubblewrap, and is then reported as the crash it is.
 */
export function osLaunchFailure(report: ChildReport): string | null {
  if (report.ready || report.killedFor !== null) return null;
  if (report.spawnError !== null) return `bubblewrap could not be started: ${report.spawnError.message}`;
  if (report.exitCode === 0) return null;
  const firstLine = report.stderrTail.trim().split('\n', 1)[0] ?? '';
  return `bubblewrap cannot start a sandbox here: ${firstLine === '' ? `exit ${report.exitCode ?? report.signal ?? 'unknown'}` : firstLine}`;
}

/**
 * Node-mode launchers are tried optimistically instead of probed: a probe would cost one
 * extra process on every `toolsmith run`, and a refused launcher is detected cheaply below.
 */
export function planNodeLaunch(request: SandboxRequest): LaunchPlan {
  const isolateNetwork = !request.permissions.includes('net');
  return { prlimit: findLauncher('prlimit'), unshare: isolateNetwork ? findLauncher('unshare') : null, setpriv: findLauncher('setpriv') };
}

/** The launcher that failed before node started, if one did (same trust argument as osLaunchFailure). */
export function failedLauncher(report: ChildReport, plan: LaunchPlan): LauncherName | null {
  if (report.ready || report.exitCode === 0 || report.killedFor !== null) return null;
  const firstLine = report.stderrTail.trimStart().split('\n', 1)[0] ?? '';
  if (/failed to execute/.test(firstLine)) return null; // the launcher worked; node itself could not start
  for (const name of ['prlimit', 'unshare', 'setpriv'] as const) {
    if (plan[name] !== null && firstLine.startsWith(`${name}: `)) return name;
  }
  return null;
}

export function learnLaunchersWork(plan: LaunchPlan): void {
  for (const name of ['prlimit', 'unshare', 'setpriv'] as const) if (plan[name] !== null) markLauncher(name, true);
}

/**
 * The harness lists output files only for a tool granted `fs:write`; a reply that lists any
 * for another tool was not written by the harness (a tool that learnt the nonce forged it),
 * and files in it would reach `--out` without the grant.
 */
export function refuseUngrantedFiles(request: SandboxRequest, outcome: SandboxOutcome): SandboxOutcome {
  if (!outcome.ok || outcome.files.length === 0 || request.permissions.includes('fs:write')) return outcome;
  const { logs, durationMs, protections } = outcome;
  return { ok: false, kind: 'bad-result', message: 'the reply lists output files, but the tool has no fs:write permission: the reply was forged', logs, durationMs, protections };
}

/** A failure reported without starting a child. */
export function refuse(request: SandboxRequest, kind: 'crash' | 'isolation', message: string, hint?: string): SandboxOutcome {
  const protections = createProtections(facts(request, null, false, false, null, null));
  const outcome: SandboxOutcome = { ok: false, kind, message, logs: [], durationMs: 0, protections };
  return hint === undefined ? outcome : { ...outcome, hint };
}

/** sandbox.isolation "os" and no OS layer: no tool code runs. */
export function refuseIsolation(request: SandboxRequest, reason: string): SandboxOutcome {
  return refuse(request, 'isolation', `refusing to run tool code without the OS sandbox layer (sandbox.isolation is "os"): ${reason}`, INSTALL_HINT);
}

export function assertRequest(request: SandboxRequest): void {
  for (const [name, value] of Object.entries(request.limits) as Array<[keyof SandboxLimits, unknown]>) { // safe: the keys of a SandboxLimits object are its keys
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw new TypeError(`sandbox limit ${name} must be a positive number, got ${String(value)}`);
    }
  }
  for (const file of [...(request.readPaths ?? []), ...(request.maskedPaths ?? [])]) {
    if (!path.isAbsolute(file)) throw new TypeError(`sandbox read and masked paths must be absolute (tool ${request.toolId}): ${file}`);
  }
}
