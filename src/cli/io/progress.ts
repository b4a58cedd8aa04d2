import type { GlobalFlags } from './output.js';

export interface Progress {
  update(text: string): void;
  stop(): void;
  /** False when nothing is shown (not a terminal, --json, --quiet, CI): callers may skip work done only for the display. */
  readonly shown?: boolean;
}

const silent: Progress = { update: () => undefined, stop: () => undefined, shown: false };

/** What createProgress needs to know about where it writes. */
export interface ProgressTarget {
  stream: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
}

/**
 * Progress on stderr (STYLE habit 9), chosen by what the terminal can show:
 * - nothing with --json or --quiet, when stderr is not a terminal, or on CI;
 * - plain lines (each new message once) on a dumb terminal or one whose width is unknown or zero: a
 *   spinner redraws by counting wrapped lines, which is meaningless there (with zero columns
 *   ora's count is infinite and it writes cursor escapes for ever);
 * - an ora spinner otherwise, loaded only then. `discardStdin: false` keeps the terminal in
 *   its normal mode, so Ctrl-C raises SIGINT: ora's default raw mode swallows the keystroke
 *   (stdin-discarder never reads a stdin nobody resumed: sindresorhus/ora#253 and #156).
 */
export async function createProgress(flags: GlobalFlags, target: ProgressTarget = { stream: process.stderr, env: process.env }): Promise<Progress> {
  const { stream, env } = target;
  if (flags.json || flags.quiet || stream.isTTY !== true || env['CI']) return silent;
  if (!(stream.columns > 0) || env['TERM'] === 'dumb') return createLineProgress(stream);
  const { default: ora } = await import('ora');
  // isEnabled: decided above (ora's own check would also turn it off for an empty CI variable).
  const spinner = ora({ stream, discardStdin: false, isEnabled: true }).start();
  return { update: (text) => void (spinner.text = text), stop: () => void spinner.stop() };
}

/** One line per new message, nothing redrawn. */
export function createLineProgress(stream: NodeJS.WritableStream): Progress {
  let last = '';
  return {
    update(text) {
      if (text === last) return;
      last = text;
      stream.write(`${text}\n`);
    },
    stop: () => undefined,
  };
}
