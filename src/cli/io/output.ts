import { escapeTerminal } from './escape.js';

export interface GlobalFlags {
  json?: boolean;
  /** No progress, notes or hints on stderr (errors still print). */
  quiet?: boolean;
  verbose?: boolean;
  workspace?: string;
  color?: boolean;
}

/** Minimal colour functions; identity when colour is off. */
export interface Paint {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
}

const plain: Paint = { bold: (s) => s, dim: (s) => s, red: (s) => s, green: (s) => s, yellow: (s) => s, cyan: (s) => s };

/** Colour only on a TTY, honouring NO_COLOR, FORCE_COLOR and --no-color (SPEC 5). */
export function wantsColor(stream: NodeJS.WriteStream, flags: GlobalFlags, env: NodeJS.ProcessEnv = process.env): boolean {
  if (flags.json || flags.color === false) return false;
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  const force = env['FORCE_COLOR'];
  if (force !== undefined) return force !== '0' && force !== 'false';
  return stream.isTTY === true;
}

/** chalk is loaded only when colour is on, keeping it off the start-up path otherwise. */
export async function createPaint(enabled: boolean): Promise<Paint> {
  if (!enabled) return plain;
  const { Chalk } = await import('chalk');
  const chalk = new Chalk({ level: 1 });
  return { bold: chalk.bold, dim: chalk.dim, red: chalk.red, green: chalk.green, yellow: chalk.yellow, cyan: chalk.cyan };
}

/** Where a command writes: stdout carries only the result; messages go to stderr. */
export interface Io {
  flags: GlobalFlags;
  paint: Paint;
  out(text: string): void;
  err(text: string): void;
  /** Prints the result: one JSON document with --json, else the human text. */
  result(data: unknown, human: (paint: Paint) => string): void;
  stdinIsTTY: boolean;
  cwd: string;
}

/** The real process streams. */
export async function createIo(flags: GlobalFlags): Promise<Io> {
  const color = wantsColor(process.stdout, flags);
  const paint = await createPaint(color);
  const out = (text: string) => void process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  return {
    flags,
    paint,
    out,
    // stderr carries messages, never colour: every control character in them is escaped here.
    err: (text) => {
      const safe = escapeTerminal(text, { multiline: true });
      process.stderr.write(safe.endsWith('\n') ? safe : `${safe}\n`);
    },
    result(data, human) {
      if (flags.json) out(JSON.stringify(data, null, 2));
      else {
        // Formatters escape each untrusted field (cli/io/escape.ts); without colour the
        // output has no legitimate control character at all, so it is escaped whole as well.
        const text = human(paint);
        if (text.length > 0) out(color ? text : escapeTerminal(text, { multiline: true }));
      }
    },
    stdinIsTTY: process.stdin.isTTY === true,
    cwd: process.cwd(),
  };
}
