import type { SandboxProtections } from '../models/index.js';
import type { HarnessError, HarnessReply } from './protocol.js';
import { parseReply } from './parse-reply.js';
import type { ChildReport } from './spawn-child.js';
import type { OutputFile, SandboxFailure, SandboxFailureKind, SandboxLimits, SandboxOutcome } from './types.js';

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
  const parsed = parseReply(report.resultText, context.nonce);
  if (parsed !== null && 'problem' in parsed) return fail('bad-result', parsed.problem);
  if (parsed !== null) {
    const reply = parsed.reply;
    if (reply.ok) return { ok: true, value: reply.value, files: decodeFiles(reply), ...base };
    return fail(replyKind(reply), describeReplyError(reply.error), reply.error.stack);
  }
  const { limits } = context;
  if (report.killedFor === 'not-admitted') return fail('crash', 'the call was withdrawn before the tool ran');
  if (report.killedFor === 'cancelled') return fail('cancelled', 'the call was cancelled by its caller and the tool was killed');
  if (report.killedFor === 'timeout') return fail('timeout', `the tool did not finish within the time limit of ${limits.timeoutMs} ms and was killed`);
  if (report.killedFor === 'output-limit') return fail('output-limit', `the tool's result exceeded the output limit of ${limits.maxOutputBytes} bytes and the tool was killed`);
  // Under bubblewrap the signal comes back as an exit code, 128 + SIGXCPU (24).
  if (report.signal === 'SIGXCPU' || report.exitCode === 152) return fail('timeout', `the tool used more CPU time than its limit (RLIMIT_CPU, from the time limit of ${limits.timeoutMs} ms) and was killed`);
  if (isOutOfMemory(report)) {
    return fail('heap', `the tool ran out of memory: it exceeded the heap cap of ${limits.maxHeapMb} MB or the memory cap of ${limits.maxMemoryMb} MB`);
  }
  if (report.spawnError !== null) return fail('crash', `the sandbox could not start the tool: ${report.spawnError.message}`);
  return fail('crash', describeCrash(report));
}

function decodeFiles(reply: Extract<HarnessReply, { ok: true }>): OutputFile[] {
  return (reply.files ?? []).map((file) => ({ path: file.path, data: Buffer.from(file.base64, 'base64') }));
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

/**
 * V8 prints one of these before it aborts when the heap cap is reached, or when the memory
 * cap (RLIMIT_DATA) refuses it more memory; requiring the abort too keeps a tool's own log
 * line from matching.
 */
function isOutOfMemory(report: ChildReport): boolean {
  const aborted = report.signal === 'SIGABRT' || report.signal === 'SIGSEGV' || report.signal === 'SIGTRAP' || [133, 134, 139].includes(report.exitCode ?? 0);
  return aborted && /heap out of memory|Reached heap limit|Allocation failed|Fatal process out of memory|std::bad_alloc/i.test(report.stderrTail);
}

function describeCrash(report: ChildReport): string {
  const how = report.signal !== null ? `was killed by ${report.signal}` : `exited with code ${report.exitCode ?? 'unknown'}`;
  const lastLine = report.stderrTail.trimEnd().split('\n').pop()?.trim() ?? '';
  const hint = !report.ready ? ' before the sandbox harness started' : ' without returning a result';
  return `the tool process ${how}${hint}${lastLine === '' ? '' : `: ${lastLine}`}`;
}
