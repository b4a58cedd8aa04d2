import type { GlobalFlags } from './output.js';

export interface Progress {
  update(text: string): void;
  stop(): void;
}

const silent: Progress = { update: () => undefined, stop: () => undefined };

/** A spinner on stderr when it is a TTY (and not --json); nothing otherwise. ora loads only then. */
export async function createProgress(flags: GlobalFlags): Promise<Progress> {
  if (flags.json || process.stderr.isTTY !== true || process.env['CI']) return silent;
  const { default: ora } = await import('ora');
  const spinner = ora({ stream: process.stderr }).start();
  return { update: (text) => void (spinner.text = text), stop: () => void spinner.stop() };
}
