// Zod-free: `list` and `run` never compare identities, but `show` and every lifecycle verb do.
import { UserError } from '../models/errors.js';

/**
 * The characters an identity may hold after normalisation: ASCII letters and digits and
 * `. _ @ -`, starting with a letter or digit, at most 64 characters. This is the
 * user@domain shape git's allowed_signers uses, and it leaves no room for look-alikes:
 * Cyrillic `а` (U+0430), zero-width or bidirectional characters and control characters
 * are all outside it, so "mаllory" can never pass for "mallory" in a policy comparison.
 */
export const IDENTITY_PATTERN = /^[a-z0-9][a-z0-9._@-]{0,63}$/;

/**
 * Normalises an identity for storage and every policy comparison: Unicode NFKC (full-width
 * and styled letters fold to ASCII: `ｍａｌｌｏｒｙ` -> `mallory`), lower case, trimmed.
 * Returns null when the result is outside IDENTITY_PATTERN.
 */
export function normalizeIdentity(raw: string): string | null {
  const normalized = raw.normalize('NFKC').toLowerCase().trim();
  return IDENTITY_PATTERN.test(normalized) ? normalized : null;
}

/** Shows a refused name with every character outside printable ASCII as \u{...}, so the message itself is safe to print. */
export function describeRawIdentity(raw: string): string {
  const shown = [...raw].map((ch) => (/^[\x20-\x7e]$/.test(ch) ? ch : `\\u{${(ch.codePointAt(0) ?? 0).toString(16)}}`)).join('');
  return `"${shown.length > 80 ? `${shown.slice(0, 80)}…` : shown}"`;
}

/**
 * Normalises an identity or refuses it (exit 2), naming where it came from.
 * @throws UserError when the name is empty, too long, or holds a character outside the safe set
 */
export function assertIdentity(raw: string | undefined, source: string): string {
  const normalized = raw === undefined ? null : normalizeIdentity(raw);
  if (normalized === null) {
    throw new UserError(
      `${source} ${raw === undefined || raw.trim() === '' ? 'is empty' : `${describeRawIdentity(raw)} is not a usable identity`}: names may hold only ASCII letters, digits and . _ @ - (at most 64, starting with a letter or digit)`,
      source === 'TOOLSMITH_ACTOR' || source.startsWith('the OS user')
        ? 'set TOOLSMITH_ACTOR to your name, e.g. TOOLSMITH_ACTOR=alice'
        : 'use your plain user name or e-mail address, e.g. --reviewer alice@example.com',
    );
  }
  return normalized;
}

