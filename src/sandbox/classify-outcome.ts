import type { SandboxProtections } from '../models/index.js';
import type { HarnessError, HarnessReply } from './protocol.js';
import type { ChildReport } from './spawn-child.js';
import type { SandboxFailure, SandboxFailureKind, SandboxLimits, SandboxOutcome } from './types.js';

interface ClassifyContext {
  nonce: string;
  limits: SandboxLimits;
  protections: SandboxProtections;
}

/** Turns what was observed of a child into the one outcome the caller sees. */
export function classifyOutcome(report: ChildReport, context: ClassifyContext): SandboxOutcome {
  const base = { logs: report.logs, durationMs: report.durationMs, protections: context.protections };
  const fail = (kind: SandboxFailureKind, message: string, stack?: string): SandboxFailure =>
    stack === undefined ? { ok: false, kind, message, ...base } : { ok: false, kind, message, stack, ...base };

  // A complete reply wins even over a kill that raced the harness's own exit.
  const reply = parseReply(report.resultText, context.nonce);
  if (reply !== null) {
    if (reply.ok) return { ok: true, value: reply.value, ...base };
    return fail(replyKind(reply), describeReplyError(reply.error), reply.error.stack);
  }
  const { limits } = context;
  if (report.killedFor === 'timeout') return fail('timeout', `the tool did not finish within the time limit of ${limits.timeoutMs} ms and was killed`);
  if (report.killedFor === 'output-limit') return fail('output-limit', `the tool's result exceeded the output limit of ${limits.maxOutputBytes} bytes and the tool was killed`);
  if (isHeapExhaustion(report)) return fail('heap', `the tool ran out of memory: it exceeded the heap cap of ${limits.maxHeapMb} MB`);
  if (report.spawnError !== null) return fail('crash', `the sandbox could not start the tool: ${report.spawnError.message}`);
  return fail('crash', describeCrash(report));
}

/** The reply between the two nonces, or null when the harness never finished writing one. */
function parseReply(text: string, nonce: string): HarnessReply | null {
  const start = text.indexOf(nonce);
  const end = text.lastIndexOf(nonce);
  if (start === -1 || end <= start) return null;
  try {
    // `as`: only the harness knows the nonce, and it writes a HarnessReply (protocol.ts).
    return JSON.parse(text.slice(start + nonce.length, end)) as HarnessReply;
  } catch {
    return null;
  }
}

function replyKind(reply: Extract<HarnessReply, { ok: false }>): SandboxFailureKind {
  // Node 20 refuses a native addon with its own code, not ERR_ACCESS_DENIED.
  if (reply.error.code === 'ERR_ACCESS_DENIED' || reply.error.code === 'ERR_DLOPEN_DISABLED') return 'permission';
  return reply.kind;
}

function describeReplyError(error: HarnessError): string {
  const message = error.name === 'Error' || error.name === '' ? error.message : `${error.name}: ${error.message}`;
  // Node's own message ("Access to this API has been restricted") names neither what nor where.
  if (error.code === 'ERR_ACCESS_DENIED') {
    const what = [error.permission, error.resource].filter((part) => part !== undefined && part !== '').join(' ');
    return what === '' ? `permission denied: ${message}` : `permission denied (${what}): ${message}`;
  }
  return message;
}

/** V8 prints this before it aborts on a full heap; requiring the abort too keeps a tool's own log line from matching. */
function isHeapExhaustion(report: ChildReport): boolean {
  const aborted = report.signal === 'SIGABRT' || report.exitCode === 134;
  return aborted && /heap out of memory|Reached heap limit/i.test(report.stderrTail);
}

function describeCrash(report: ChildReport): string {
  const how = report.signal !== null ? `was killed by ${report.signal}` : `exited with code ${report.exitCode ?? 'unknown'}`;
  const lastLine = report.stderrTail.trimEnd().split('\n').pop()?.trim() ?? '';
  const hint = !report.ready ? ' before the sandbox harness started' : ' without returning a result';
  return `the tool process ${how}${hint}${lastLine === '' ? '' : `: ${lastLine}`}`;
}
