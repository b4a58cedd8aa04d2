/** git's allowed_signers format, parsed by us so a bad line is reported as file:line (issue 8, item 3). */
import { describe, expect, it } from 'vitest';
import { formatSignersFor, parseAllowedSigners } from '../../src/stores/allowed-signers.js';

// A real ed25519 public key blob (ssh-keygen output) and an RSA-labelled one for the mismatch case.
const ED = 'AAAAC3NzaC1lZDI1NTE5AAAAIJemADGNBDESdKqP70TtFQ0ZLatlmMJ8l0qgXzye9fP8';

describe('parseAllowedSigners', () => {
  it('reads principals, options, key type and key; skips comments and blank lines; normalises identities', () => {
    const text = [
      '# team signers',
      '',
      `Alice@Example.com ssh-ed25519 ${ED} alice laptop`,
      `"bob,carol" namespaces="toolsmith,git",valid-after="20240101" ssh-ed25519 ${ED}`,
      `*@example.com cert-authority ssh-ed25519 ${ED}`,
      '   # indented comment',
    ].join('\n');
    const signers = parseAllowedSigners(text, 'allowed_signers');
    expect(signers.map((s) => ({ line: s.line, principals: s.principals, identities: s.identities, options: s.options, keyType: s.keyType }))).toEqual([
      { line: 3, principals: ['Alice@Example.com'], identities: ['alice@example.com'], options: '', keyType: 'ssh-ed25519' },
      { line: 4, principals: ['bob', 'carol'], identities: ['bob', 'carol'], options: 'namespaces="toolsmith,git",valid-after="20240101"', keyType: 'ssh-ed25519' },
      // A pattern never equals a reviewer name: toolsmith counts exact principals only.
      { line: 5, principals: ['*@example.com'], identities: [], options: 'cert-authority', keyType: 'ssh-ed25519' },
    ]);
  });

  it.each([
    ['alice', 'allowed_signers:2: missing key type and key'],
    [`alice cert-authority ssh-foo ${ED}`, 'allowed_signers:2: unknown key type "ssh-foo"'],
    [`alice ssh-foo ${ED}`, 'allowed_signers:2: unknown key type "ssh-foo"'],
    [`alice nonsense-option ssh-ed25519 ${ED}`, 'allowed_signers:2: unknown or malformed option "nonsense-option"'],
    ['alice ssh-ed25519', 'allowed_signers:2: missing the base64 key after ssh-ed25519'],
    ['alice ssh-ed25519 not*base64', 'allowed_signers:2: the key is not base64'],
    [`alice ssh-rsa ${ED}`, 'allowed_signers:2: the key is a ssh-ed25519 key, not ssh-rsa'],
    [`"alice ssh-ed25519 ${ED}`, 'allowed_signers:2: unterminated quote in the principals'],
    [`ali\x1bce ssh-ed25519 ${ED}`, 'allowed_signers:2: the line holds a control character'],
  ])('%j is refused as %j', (line, message) => {
    expect(() => parseAllowedSigners(`# ok\n${line}\n`, 'allowed_signers')).toThrow(message);
  });
});

describe('formatSignersFor', () => {
  it('keeps only the entries listing exactly that identity, with it as the sole principal', () => {
    const signers = parseAllowedSigners(`Alice ssh-ed25519 ${ED}\nbob,ALICE namespaces="toolsmith" ssh-ed25519 ${ED}\ncarol ssh-ed25519 ${ED}\n`, 'f');
    expect(formatSignersFor(signers, 'alice')).toBe(`alice ssh-ed25519 ${ED}\nalice namespaces="toolsmith" ssh-ed25519 ${ED}\n`);
    expect(formatSignersFor(signers, 'mallory')).toBe('');
  });
});
