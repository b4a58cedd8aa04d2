/** Identities (issue 8, item 2): normalised for every comparison, refused outside the safe set. */
import { describe, expect, it } from 'vitest';
import { assertIdentity, normalizeIdentity } from '../../src/stores/identity.js';
import { UserError } from '../../src/models/errors.js';

describe('normalizeIdentity', () => {
  it.each([
    ['mallory', 'mallory'],
    ['MALLORY', 'mallory'],
    [' mallory', 'mallory'],
    ['mallory\t', 'mallory'],
    ['ｍａｌｌｏｒｙ', 'mallory'], // full-width letters (NFKC)
    ['\u{1d5fa}allory', 'mallory'], // mathematical sans-serif bold m (NFKC)
    ['Alice@Example.COM', 'alice@example.com'],
    ['ci-bot_2.0', 'ci-bot_2.0'],
  ])('%j -> %j', (raw, normalized) => {
    expect(normalizeIdentity(raw)).toBe(normalized);
  });

  it.each([
    ['m\u0430llory', 'Cyrillic а'],
    ['mal\u200blory', 'zero-width space'],
    ['mal\u202elory', 'right-to-left override'],
    ['mal\x1b[2Klory', 'an escape sequence'],
    ['mal\nlory', 'a newline'],
    ['a b', 'a space inside'],
    ['', 'nothing'],
    ['   ', 'only spaces'],
    ['-alice', 'a leading dash (option-like)'],
    ['İstanbul', 'a dotted capital I (lower-cases to i + U+0307)'],
    ['a'.repeat(65), 'too long'],
  ])('%j (%s) is refused', (raw) => {
    expect(normalizeIdentity(raw)).toBeNull();
  });
});

describe('assertIdentity', () => {
  it('names where the name came from and shows it safely', () => {
    const error = (() => {
      try {
        assertIdentity('m\u0430l\x1blory', '--reviewer');
      } catch (e) {
        return e as UserError;
      }
      throw new Error('expected a refusal');
    })();
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toBe('--reviewer "m\\u{430}l\\u{1b}lory" is not a usable identity: names may hold only ASCII letters, digits and . _ @ - (at most 64, starting with a letter or digit)');
    expect(error.message).not.toMatch(/[\u0000-\u001f\u0080-\uffff]/);
    expect(() => assertIdentity(undefined, 'TOOLSMITH_ACTOR')).toThrow(/TOOLSMITH_ACTOR is empty/);
    expect(assertIdentity(' Bob ', '--reviewer')).toBe('bob');
  });
});
