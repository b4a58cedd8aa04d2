import { createHash } from 'node:crypto';
import { execa } from 'execa';
import { NegativeOutcomeError, UserError } from '../models/errors.js';
import type { ToolSpec } from '../models/index.js';
import { NO_TOKENS, type Attempt, type CodeGenerator } from './backend.js';
import { extractCode } from './extract-code.js';

export interface CommandGeneratorOptions {
  /** The command line, run by the shell (`/bin/sh -c`) in `cwd`. */
  command: string;
  cwd: string;
  timeoutMs: number;
  spec: ToolSpec;
  /** Where the command's stderr goes: the terminal (`inherit`), or collected for `onStderr`. */
  stderr: 'inherit' | 'pipe';
  onStderr?: (text: string) => void;
  signal?: AbortSignal | undefined;
}

/** More output than this from a generator is refused. */
const MAX_STDOUT_BYTES = 4 * 1024 * 1024;

/** A generator command that failed (non-zero exit, timeout, empty output): exit 1, nothing written. */
export class CommandGeneratorError extends NegativeOutcomeError {
  override name = 'CommandGeneratorError';
}

/**
 * The external command backend (SPEC 12): any program reads the spec JSON on stdin and
 * writes the implementation on stdout. It runs in its own process group, so a timeout (or
 * our exit) kills everything it started, not only the shell.
 */
export function createCommandGenerator(options: CommandGeneratorOptions): CodeGenerator {
  const specJson = `${JSON.stringify(options.spec, null, 2)}\n`;
  const run = async (sample: number): Promise<Attempt> => {
    const stdout = await runGenerator(options, specJson);
    return { extraction: extractCode(stdout), usage: NO_TOKENS, transcript: { [`sample-${sample}/round-0.reply.md`]: stdout } };
  };
  return {
    backend: 'command',
    createdBy: `command:${createHash('sha256').update(options.command).digest('hex')}`,
    generator: options.command,
    endpoint: null,
    parameters: { timeout_ms: options.timeoutMs },
    supportsRepair: false,
    transcript: { 'command.txt': `${options.command}\n`, 'prompt.md': `The spec JSON on stdin:\n\n\`\`\`json\n${specJson}\`\`\`\n` },
    implement: run,
    repair: () => Promise.reject(new UserError('--repair needs --llm', 'a --command generator gets the spec only; run it again instead')),
  };
}

async function runGenerator(options: CommandGeneratorOptions, input: string): Promise<string> {
  const started = execa(options.command, {
    shell: true,
    cwd: options.cwd,
    input,
    detached: true,
    reject: false,
    stripFinalNewline: false,
    maxBuffer: MAX_STDOUT_BYTES,
    stderr: options.stderr === 'inherit' ? 'inherit' : 'pipe',
    encoding: 'utf8',
  });
  const pid = started.pid;
  const killGroup = () => {
    if (pid === undefined) return;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup();
  }, options.timeoutMs);
  const onAbort = () => killGroup();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  // A detached group outlives us unless killed: Ctrl-C's exit takes it along.
  process.on('exit', killGroup);
  try {
    const result = await started;
    if (typeof result.stderr === 'string' && result.stderr !== '') options.onStderr?.(result.stderr);
    if (options.signal?.aborted) throw new CommandGeneratorError('generation cancelled', 'nothing was written');
    const label = `generator command \`${options.command}\``;
    if (timedOut) throw new CommandGeneratorError(`${label} did not finish within ${options.timeoutMs} ms (killed)`, 'raise --command-timeout (milliseconds), or make the command finish');
    if (result.isMaxBuffer) throw new CommandGeneratorError(`${label} wrote more than ${MAX_STDOUT_BYTES / 1024 / 1024} MB`, 'a generator writes one TypeScript module on stdout');
    if (result.failed && result.exitCode === undefined) throw new CommandGeneratorError(`${label} could not run: ${result.shortMessage}`, 'check the command line');
    if (result.exitCode !== 0) {
      throw new CommandGeneratorError(`${label} exited with code ${result.exitCode ?? result.signal ?? '?'}${lastLine(result.stderr)}`, 'its stderr above says why; nothing was written');
    }
    const stdout = typeof result.stdout === 'string' ? result.stdout : '';
    if (stdout.trim() === '') throw new CommandGeneratorError(`${label} wrote nothing on stdout`, 'a generator reads the spec JSON on stdin and writes the implementation (a TypeScript module) on stdout');
    return stdout;
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    process.off('exit', killGroup);
    killGroup();
  }
}

function lastLine(stderr: unknown): string {
  if (typeof stderr !== 'string') return '';
  const line = stderr.trim().split('\n').pop()?.trim() ?? '';
  return line === '' ? '' : `: ${line.length > 200 ? `${line.slice(0, 200)}…` : line}`;
}
