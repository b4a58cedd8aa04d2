// SSH signatures through the reviewer's own OpenSSH (`ssh-keygen -Y`), so every key type
// git commit signing supports works here too (ed25519, ECDSA, RSA, FIDO keys, keys in an
// agent, certificates with cert-authority lines), with OpenSSH's own SSHSIG checks.
// execa is loaded only when a signature is made or checked: `run` and `list` never pay for it.
import { mkdtemp, rm, writeFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../models/errors.js';
import { SIGNATURE_NAMESPACE } from './attestation.js';
import { errnoCode } from '../models/errno-code.js';

const SIGN_TIMEOUT_MS = 120_000; // a passphrase or a security-key touch may be asked for
const VERIFY_TIMEOUT_MS = 30_000;

interface KeygenResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

async function runKeygen(args: string[], input: string, timeout: number): Promise<KeygenResult> {
  const { execa } = await import('execa');
  try {
    const r = await execa('ssh-keygen', args, { input, reject: false, timeout, stripFinalNewline: false, env: { LC_ALL: 'C' } });
    if (r.timedOut) throw new UserError(`ssh-keygen ${args[1] ?? ''} did not finish within ${timeout / 1000} s`, 'is it waiting for a passphrase or a security key?');
    return { exitCode: r.exitCode ?? 1, stdout: String(r.stdout), stderr: String(r.stderr) };
  } catch (error) {
    if (error instanceof UserError) throw error;
    const code = errnoCode(error);
    if (code === 'ENOENT') throw new UserError('ssh-keygen was not found', 'install OpenSSH (Debian: apt-get install openssh-client)');
    throw error;
  }
}

/** ssh-keygen's last meaningful stderr line, printable ASCII only (it may quote a file name). */
function keygenReason(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l && !/^Signing data on standard input/.test(l));
  return (lines.at(-1) ?? 'ssh-keygen failed').replace(/[^\x20-\x7e]/g, '?').slice(0, 200);
}

/** `YYYYMMDDHHMMSSZ`, the form ssh-keygen's `-O verify-time=` takes. */
function keygenTime(iso: string): string | null {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return null;
  return `${date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '').replace('T', '')}`;
}

/** Runs `fn` with a private temporary folder, removed afterwards. */
async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'toolsmith-sig-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Signs bytes with `ssh-keygen -Y sign -n toolsmith`; returns the armored signature.
 * @throws UserError (exit 2) naming the key file when it is missing or ssh-keygen refuses it
 */
export async function signBytes(keyFile: string, bytes: string, shownAs: string = keyFile): Promise<string> {
  const info = await stat(keyFile).catch(() => null);
  if (!info?.isFile()) throw new UserError(`signing key ${shownAs} does not exist`, 'pass --sign-key PATH (or TOOLSMITH_SIGN_KEY) naming your SSH private key, e.g. ~/.ssh/id_ed25519');
  const r = await runKeygen(['-Y', 'sign', '-f', keyFile, '-n', SIGNATURE_NAMESPACE], bytes, SIGN_TIMEOUT_MS);
  if (r.exitCode !== 0 || !r.stdout.includes('-----BEGIN SSH SIGNATURE-----')) {
    throw new UserError(`signing with ${shownAs} failed: ${keygenReason(r.stderr)}`, 'name an SSH private key ssh-keygen can use (ssh-keygen -Y sign -f KEY -n toolsmith works with it)');
  }
  return r.stdout.trim();
}

/** Whether an armored signature has the SSHSIG shape at all (cheap, before any process is spawned). */
export function looksLikeSshSignature(armored: string): boolean {
  return /^-----BEGIN SSH SIGNATURE-----\n[A-Za-z0-9+/=\n]+\n-----END SSH SIGNATURE-----$/.test(armored) && armored.length < 64 * 1024;
}

/**
 * Whether the signature is a valid SSHSIG over these bytes in the toolsmith namespace, by
 * whatever key made it (`ssh-keygen -Y check-novalidate`): false means the signed content
 * was changed after signing (or the signature is garbage).
 */
export async function checkSignature(bytes: string, armored: string): Promise<boolean> {
  if (!looksLikeSshSignature(armored)) return false;
  return withTempDir(async (dir) => {
    const sig = path.join(dir, 'sig');
    await writeFile(sig, `${armored}\n`);
    const r = await runKeygen(['-Y', 'check-novalidate', '-n', SIGNATURE_NAMESPACE, '-s', sig], bytes, VERIFY_TIMEOUT_MS);
    return r.exitCode === 0;
  });
}

/**
 * Whether the signature verifies for `principal` against allowed_signers text (already
 * reduced to that principal's entries, see formatSignersFor), as of `at` (the signed time,
 * so a key that expired later does not void an approval made while it was valid).
 */
export async function verifySignature(bytes: string, armored: string, signersText: string, principal: string, at: string): Promise<boolean> {
  if (!looksLikeSshSignature(armored) || signersText === '') return false;
  return withTempDir(async (dir) => {
    const sig = path.join(dir, 'sig');
    const signers = path.join(dir, 'allowed_signers');
    await writeFile(sig, `${armored}\n`);
    await writeFile(signers, signersText);
    const time = keygenTime(at);
    const args = ['-Y', 'verify', '-f', signers, '-I', principal, '-n', SIGNATURE_NAMESPACE, '-s', sig, ...(time ? ['-O', `verify-time=${time}`] : [])];
    const r = await runKeygen(args, bytes, VERIFY_TIMEOUT_MS);
    return r.exitCode === 0;
  });
}
