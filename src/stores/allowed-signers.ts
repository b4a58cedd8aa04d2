import { readFile } from 'node:fs/promises';
import { UserError } from '../models/errors.js';
import { normalizeIdentity } from './identity.js';
import { errnoCode } from '../models/errno-code.js';

/**
 * git's / OpenSSH's allowed_signers format (ssh-keygen(1), ALLOWED SIGNERS): per line
 * `principals [options] keytype base64-key [comment]`; blank lines and `#` lines are
 * comments; principals may be double-quoted; options are comma-separated `cert-authority`,
 * `namespaces="..."`, `valid-after=...`, `valid-before=...`.
 *
 * We parse it ourselves (rather than let ssh-keygen skip lines it cannot read) so that a
 * bad line is reported as `file:line: problem` before any signature is checked, and so that
 * principals are compared after the same normalisation as reviewer names.
 */
export interface AllowedSigner {
  /** 1-based line in the file. */
  line: number;
  /** The principals as written (comma-separated patterns in OpenSSH). */
  principals: string[];
  /** Normalised principals that are plain identities (no `*`, `?` or `!` pattern). */
  identities: string[];
  /** The options field as written ('' when absent). */
  options: string;
  keyType: string;
  key: string;
}

const KEY_TYPES = new Set([
  'ssh-ed25519',
  'ssh-rsa',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com',
  'ssh-dss',
]);

const OPTION = /^(?:cert-authority|namespaces="[^"]*"|valid-after="?[0-9TZ:]+"?|valid-before="?[0-9TZ:]+"?)$/i;

/** Takes the next whitespace-delimited field, honouring double quotes. Returns [field, rest] or null. */
function nextField(text: string): [string, string] | null {
  const s = text.replace(/^[ \t]+/, '');
  if (s === '') return null;
  if (s.startsWith('"')) {
    const end = s.indexOf('"', 1);
    if (end < 0) return ['', '\u0000unterminated'];
    return [s.slice(1, end), s.slice(end + 1)];
  }
  let depth = false;
  let i = 0;
  for (; i < s.length; i++) {
    const ch = s[i];
    if (ch === '"') depth = !depth;
    else if (!depth && (ch === ' ' || ch === '\t')) break;
  }
  return [s.slice(0, i), s.slice(i)];
}

/** Checks that a base64 key blob decodes and names the key type it is listed as. */
function keyProblem(keyType: string, key: string): string | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(key)) return 'the key is not base64';
  const blob = Buffer.from(key, 'base64');
  if (blob.length < 4) return 'the key is too short';
  const length = blob.readUInt32BE(0);
  const inner = blob.subarray(4, 4 + length).toString('latin1');
  if (inner !== keyType) return `the key is a ${/^[\x20-\x7e]*$/.test(inner) ? inner : 'malformed'} key, not ${keyType}`;
  return null;
}

/**
 * Parses allowed_signers text. Pure.
 * @throws UserError naming `file:line: problem` for the first bad line (exit 2)
 */
export function parseAllowedSigners(text: string, file: string): AllowedSigner[] {
  const signers: AllowedSigner[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    const body = raw.replace(/\r$/, '');
    const fail = (problem: string): never => {
      throw new UserError(`${file}:${line}: ${problem}`, 'each line is `principal[,principal...] [options] key-type base64-key` (ssh-keygen(1), ALLOWED SIGNERS)');
    };
    if (/^[ \t]*(#|$)/.test(body)) return;
    if (/[\u0000-\u0008\u000b-\u001f\u007f]/.test(body)) fail('the line holds a control character');
    const first = nextField(body);
    if (!first || first[1].startsWith('\u0000')) fail('unterminated quote in the principals');
    const [principalField, afterPrincipals] = first as [string, string]; // safe: non-null checked above; a token and the rest of the line
    const principals = principalField.split(',').filter((p) => p.length > 0);
    if (principals.length === 0) fail('no principal');
    let rest = afterPrincipals;
    let options = '';
    let next = nextField(rest);
    if (!next) fail('missing key type and key');
    let [token, after] = next as [string, string]; // safe: non-null checked above; a token and the rest of the line
    if (!KEY_TYPES.has(token)) {
      if (/^(?:ssh|ecdsa|sk)-/.test(token)) fail(`unknown key type "${token.slice(0, 40)}"`);
      options = token;
      for (const option of splitOptions(options)) if (!OPTION.test(option)) fail(`unknown or malformed option "${option.slice(0, 40)}"`);
      rest = after;
      next = nextField(rest);
      if (!next) fail('missing key type and key');
      [token, after] = next as [string, string]; // safe: non-null checked above; a token and the rest of the line
      if (!KEY_TYPES.has(token)) fail(`unknown key type "${token.slice(0, 40)}"`);
    }
    const keyField = nextField(after);
    if (!keyField) fail(`missing the base64 key after ${token}`);
    const key = (keyField as [string, string])[0]; // safe: non-null checked above; a token and the rest of the line
    const problem = keyProblem(token, key);
    if (problem) fail(problem);
    const identities = principals
      .filter((p) => !/[*?!]/.test(p))
      .map((p) => normalizeIdentity(p))
      .filter((p): p is string => p !== null);
    signers.push({ line, principals, identities, options, keyType: token, key });
  });
  return signers;
}

/** Splits an options field on commas outside double quotes. */
function splitOptions(options: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of options) {
    if (ch === '"') quoted = !quoted;
    if (ch === ',' && !quoted) {
      out.push(current);
      current = '';
    } else current += ch;
  }
  out.push(current);
  return out;
}

/**
 * Reads and parses the file named by policy.allowed_signers.
 * @throws UserError (exit 2) when it is missing or a line does not parse
 */
export async function readAllowedSigners(file: string, shownAs: string): Promise<AllowedSigner[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = errnoCode(error);
    throw new UserError(`policy.allowed_signers names ${shownAs}, which ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? 'error'})`}`, 'create it in git\'s allowed_signers format, or remove policy.allowed_signers from toolsmith.config.json');
  }
  return parseAllowedSigners(text, shownAs);
}

/**
 * The allowed_signers text ssh-keygen verifies against for one reviewer: only the entries
 * listing that exact (normalised) identity, each rewritten with the identity as its sole
 * principal. OpenSSH matches principals as case-sensitive patterns; we want "a listed
 * principal equal to the normalised reviewer", so the match is made here and ssh-keygen
 * checks the key, the namespace and the validity options.
 */
export function formatSignersFor(signers: readonly AllowedSigner[], identity: string): string {
  return signers
    .filter((s) => s.identities.includes(identity))
    .map((s) => `${identity} ${s.options ? `${s.options} ` : ''}${s.keyType} ${s.key}\n`)
    .join('');
}

/**
 * The public key that made an SSHSIG signature, as the base64 of its wire blob (the form an
 * allowed_signers line lists), or null when the armor is not an SSHSIG. Pure: no process.
 * SSHSIG (OpenSSH PROTOCOL.sshsig): "SSHSIG", uint32 version, string publickey, ...
 */
export function signatureKey(armored: string): string | null {
  const body = armored.replace(/-----(?:BEGIN|END) SSH SIGNATURE-----/g, '').replace(/\s+/g, '');
  const blob = Buffer.from(body, 'base64');
  if (blob.length < 14 || blob.subarray(0, 6).toString('latin1') !== 'SSHSIG') return null;
  const length = blob.readUInt32BE(10);
  if (length === 0 || 14 + length > blob.length) return null;
  return blob.subarray(14, 14 + length).toString('base64');
}

/**
 * Every identity allowed_signers lists with this exact key (base64 wire blob): the names one
 * person (one key) goes by, e.g. `bob,bob@example.com ssh-ed25519 AAAA...`. One key is one
 * reviewer for the policy: its holder may not approve twice under two of its names, nor
 * approve what they authored under another of them.
 */
export function identitiesOfKey(signers: readonly AllowedSigner[], key: string): string[] {
  const out = new Set<string>();
  for (const s of signers) {
    if (s.options.toLowerCase().split(',').includes('cert-authority')) continue;
    if (Buffer.from(s.key, 'base64').toString('base64') === key) for (const id of s.identities) out.add(id);
  }
  return [...out];
}
