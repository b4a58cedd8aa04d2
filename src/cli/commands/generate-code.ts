import path from 'node:path';
import { defaultTemplatesDir } from '../../generate/templates-dir.js';
import { generateCode, type GenerateCodeResult, type GenerationEvent } from '../../lifecycle/generate-code.js';
import type { TestCase, ToolSpec } from '../../models/index.js';
import { EXIT } from '../../models/exit-codes.js';
import { escapeTerminal } from '../io/escape.js';
import type { GlobalFlags, Io, Paint } from '../io/output.js';
import { hideInternal } from './hide-internal.js';

/** `generate --llm` / `generate --command`: flags -> generateCode -> the validated DRAFT. */
export async function runGenerateCode(io: Io, name: string | undefined, flags: GlobalFlags & Record<string, unknown>): Promise<number> {
  const text = (key: string) => (typeof flags[key] === 'string' ? flags[key] : undefined);
  const specFile = text('spec');
  const testsFile = text('tests');
  // Progress: a line per sample step on a terminal; nothing with --json or --quiet.
  const showProgress = !flags.json && !flags.quiet && process.stderr.isTTY === true;
  const result = await generateCode({
    cwd: io.cwd,
    workspace: flags.workspace,
    backend: flags['llm'] === true ? 'llm' : 'command',
    specFile: specFile === undefined ? undefined : path.resolve(io.cwd, specFile),
    testsFile: testsFile === undefined ? undefined : path.resolve(io.cwd, testsFile),
    name,
    force: flags['force'] === true,
    version: text('toolVersion'),
    samples: typeof flags['samples'] === 'number' ? flags['samples'] : 1,
    repair: typeof flags['repair'] === 'number' ? flags['repair'] : 0,
    from: text('from'),
    yes: flags['yes'] === true,
    confirmSpec: io.stdinIsTTY && !flags.json ? confirmSpec : undefined,
    command: text('command'),
    commandTimeoutMs: typeof flags['commandTimeout'] === 'number' ? flags['commandTimeout'] : 120_000,
    // The generator's own messages are for the person at the terminal; with --json they stay off stdout anyway.
    commandStderr: 'inherit',
    templatesDir: defaultTemplatesDir(),
    ...(showProgress ? { onEvent: (e: GenerationEvent) => io.err(formatEvent(e)) } : {}),
  });
  io.result(hideInternal(result, flags.verbose), (p) => formatResult(result, p));
  return result.is_valid ? EXIT.OK : EXIT.NEGATIVE;
}

function formatEvent(e: GenerationEvent): string {
  if (e.type === 'retry') return `  server answered ${e.status}: retry ${e.attempt} in ${e.wait_ms} ms`;
  const round = e.round > 0 ? ` (repair round ${e.round})` : '';
  const detail = 'detail' in e ? `: ${escapeTerminal(e.detail)}` : '';
  return `  sample ${e.sample}${round}: ${e.state}${detail}`;
}

function formatResult(result: GenerateCodeResult, p: Paint): string {
  const g = result.generation;
  const mark = result.is_valid ? p.green('✓') : p.red('✗');
  const lines = [`${mark} generated ${result.tool_id} ${result.version} (${result.status}, ${result.is_valid ? 'valid' : 'invalid'}) in ${escapeTerminal(result.path)} by ${escapeTerminal(result.created_by)}`];
  for (const s of g.samples) {
    const outcome = s.passed ? p.green(`passed in round ${s.passed_round ?? 0}`) : p.red('failed');
    lines.push(`  sample ${s.sample}: ${outcome}${s.file ? ` -> ${s.file}` : ' (no code)'}, ${s.rounds} round${s.rounds === 1 ? '' : 's'}, ${s.tokens.total_tokens} tokens`);
  }
  const passAtK = result.report.code_metrics?.pass_at_k ?? {};
  if (Object.keys(passAtK).length > 0) lines.push(`  pass@k: ${Object.entries(passAtK).map(([k, v]) => `pass@${k} ${v.toFixed(3)}`).join(', ')}`);
  if (g.tests_source === 'generated') lines.push(p.yellow('  tests.json was written by the generator: review the tests as closely as the code'));
  for (const error of result.report.errors.slice(0, 10)) lines.push(`  ${p.red('error')} ${escapeTerminal(error)}`);
  lines.push(`next: ${p.cyan(`toolsmith show ${result.tool_id}`)}, then ${p.cyan(`toolsmith stage ${result.tool_id}`)}`);
  return lines.join('\n');
}

/** Shows the spec and tests the model wrote and asks to go on (stderr: stdout carries only the result). */
async function confirmSpec(spec: ToolSpec, tests: readonly TestCase[]): Promise<boolean> {
  process.stderr.write(`${escapeTerminal(JSON.stringify({ spec, tests }, null, 2), { multiline: true })}\n`);
  const { confirm } = await import('@inquirer/prompts');
  return confirm({ message: 'Generate the code for this spec?', default: true }, { output: process.stderr });
}
