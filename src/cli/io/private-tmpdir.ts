import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Gives this process its own temporary folder (TMPDIR, which os.tmpdir() and the code below
 * it read) and removes it when the process exits, Ctrl-C's exit included: work interrupted
 * half-way (a validation's scratch bundle) leaves nothing in the system's temporary folder.
 * Only SIGKILL can leave it behind. Where the folder cannot be made, nothing changes.
 */
export function usePrivateTmpdir(): void {
  let dir: string;
  try {
    dir = mkdtempSync(path.join(os.tmpdir(), 'toolsmith-'));
  } catch {
    return;
  }
  process.env['TMPDIR'] = dir;
  process.on('exit', () => {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // Exit must not fail over a temporary folder; the system cleans its temporary space.
    }
  });
}
