import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { classifyOutcome } from './classify-outcome.js';
import { createChildCommand, type LaunchPlan } from './create-child-command.js';
import { createProtections, findLauncher, markLauncher, permissionFlag, type LauncherName } from './detect-protections.js';
import type { HarnessRequest } from './protocol.js';
import { spawnChild, type ChildReport } from './spawn-child.js';
import type { SandboxLimits, SandboxOutcome, SandboxRequest } from './types.js';

/** Compiled next to this file: dist/sandbox/harness.js. */
const HARNESS = fileURLToPath(new URL('./harness.js', import.meta.url));

/** Room on fd 3 beyond the result itself: the reply's framing and an error's (capped) message and stack. */
const REPLY_OVERHEAD_BYTES = 128 * 1024;

/**
 * Runs one call of a tool in a child Node process under the permission model (SPEC 8) and
 * reports what happened as data: it never throws for anything the tool does.
 * @throws TypeError when the request itself is malformed (a bug in the caller).
 */
export async function runInSandbox(request: SandboxRequest): Promise<SandboxOutcome> {
  assertRequest(request);
  const { limits } = request;
  const flag = permissionFlag();
  if (flag === null) return refuse(limits, `Node ${process.version} has no permission model; refusing to run tool code unsandboxed`);
  if (!existsSync(request.entry)) return refuse(limits, `the tool's entry module does not exist: ${request.entry}`);

  const nonce = randomBytes(16).toString('hex');
  const harnessRequest: HarnessRequest = {
    nonce,
    entryUrl: pathToFileURL(request.entry).href,
    input: request.input,
    maxOutputBytes: limits.maxOutputBytes,
    allowNetwork: request.permissions.includes('net'),
  };
  const stdin = JSON.stringify(harnessRequest);
  // Each pass either runs the tool or drops one launcher this machine refused, so it ends.
  for (;;) {
    const plan = planLaunch(request);
    const report = await spawnChild(createChildCommand(request, plan, HARNESS, flag), {
      stdin,
      timeoutMs: limits.timeoutMs,
      maxResultBytes: limits.maxOutputBytes + REPLY_OVERHEAD_BYTES,
      maxLogBytes: limits.maxOutputBytes,
    });
    const failed = failedLauncher(report, plan);
    if (failed !== null) {
      markLauncher(failed, false);
      continue;
    }
    if (report.ready) learnLaunchersWork(plan);
    const protections = createProtections(limits, true, plan.unshare !== null);
    return classifyOutcome(report, { nonce, limits, protections });
  }
}

/**
 * The network namespace is tried optimistically instead of probed: a probe would cost one
 * extra process on every `toolsmith run`, and a refused `unshare` is detected cheaply below.
 */
function planLaunch(request: SandboxRequest): LaunchPlan {
  const isolateNetwork = !request.permissions.includes('net');
  return { unshare: isolateNetwork ? findLauncher('unshare') : null, setpriv: findLauncher('setpriv') };
}

/**
 * The launcher that failed before node started, if one did. Trusting its stderr is safe
 * only because the harness had not yet written its ready byte, so no tool code ran: a tool
 * printing "unshare: ..." must not talk the sandbox into dropping the namespace.
 */
function failedLauncher(report: ChildReport, plan: LaunchPlan): LauncherName | null {
  if (report.ready || report.exitCode === 0 || report.killedFor !== null) return null;
  const firstLine = report.stderrTail.trimStart().split('\n', 1)[0] ?? '';
  if (/failed to execute/.test(firstLine)) return null; // the launcher worked; node itself could not start
  for (const name of ['unshare', 'setpriv'] as const) {
    if (plan[name] !== null && firstLine.startsWith(`${name}: `)) return name;
  }
  return null;
}

function learnLaunchersWork(plan: LaunchPlan): void {
  if (plan.unshare !== null) markLauncher('unshare', true);
  if (plan.setpriv !== null) markLauncher('setpriv', true);
}

/** A failure reported without starting a child. */
function refuse(limits: SandboxLimits, message: string): SandboxOutcome {
  return { ok: false, kind: 'crash', message, logs: [], durationMs: 0, protections: createProtections(limits, permissionFlag() !== null, false) };
}

function assertRequest(request: SandboxRequest): void {
  for (const [name, value] of Object.entries(request.limits)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw new TypeError(`sandbox limit ${name} must be a positive number, got ${String(value)}`);
    }
  }
  if (!path.isAbsolute(request.entry) || !path.isAbsolute(request.packageDir)) {
    throw new TypeError(`sandbox entry and packageDir must be absolute paths (tool ${request.toolId})`);
  }
}
