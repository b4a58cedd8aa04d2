/** Real SSH keys for signature tests, made with ssh-keygen in a temporary folder. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface TestKey {
  /** The private key file (what --sign-key names). */
  file: string;
  /** `ssh-ed25519 AAAA...` (what an allowed_signers line lists after the principal). */
  publicKey: string;
}

export interface KeyRing {
  dir: string;
  make(name: string): TestKey;
  cleanup(): void;
}

export function createKeyRing(): KeyRing {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'toolsmith-keys-'));
  return {
    dir,
    make(name) {
      const file = path.join(dir, name);
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', file]);
      return { file, publicKey: readFileSync(`${file}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ') };
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
