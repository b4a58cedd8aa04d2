/**
 * Signing and verifying through the real ssh-keygen with keys made for the test: a listed
 * key verifies for its principal only, in the toolsmith namespace only, over the exact bytes.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSignature, signBytes, verifySignature } from '../../src/stores/ssh-signature.js';
import { formatSignersFor, parseAllowedSigners } from '../../src/stores/allowed-signers.js';
import { createReviewStatement, statementBytes } from '../../src/stores/attestation.js';
import { createKeyRing, type KeyRing, type TestKey } from './keys.js';

let ring: KeyRing;
let alice: TestKey;
let bob: TestKey;
const AT = '2026-01-02T03:04:05.000Z';
const BYTES = statementBytes(createReviewStatement({ tool_id: 'word_count', version: '1.0.0', code_hash: 'c'.repeat(64), spec_hash: '5'.repeat(64), decision: 'APPROVED', reviewer: 'alice', notes: 'ok', time: AT, after: 'e'.repeat(64) }));

beforeAll(() => {
  ring = createKeyRing();
  alice = ring.make('alice');
  bob = ring.make('bob');
});
afterAll(() => ring.cleanup());

function signersText(text: string, who: string): string {
  return formatSignersFor(parseAllowedSigners(text, 'allowed_signers'), who);
}

describe('ssh signatures', () => {
  it('a signature by a listed key verifies for that principal, over exactly these bytes', async () => {
    const sig = await signBytes(alice.file, BYTES);
    expect(sig).toMatch(/^-----BEGIN SSH SIGNATURE-----\n[\s\S]+\n-----END SSH SIGNATURE-----$/);
    const allowed = `alice ${alice.publicKey}\nbob ${bob.publicKey}\n`;
    expect(await verifySignature(BYTES, sig, signersText(allowed, 'alice'), 'alice', AT)).toBe(true);
    expect(await checkSignature(BYTES, sig)).toBe(true);
    // Another principal (bob's entry lists bob's key, not alice's), other bytes, no entry at all: no.
    expect(await verifySignature(BYTES, sig, signersText(allowed, 'bob'), 'bob', AT)).toBe(false);
    expect(await verifySignature(BYTES.replace('"ok"', '"OK"'), sig, signersText(allowed, 'alice'), 'alice', AT)).toBe(false);
    expect(await checkSignature(BYTES.replace('"ok"', '"OK"'), sig)).toBe(false);
    expect(await verifySignature(BYTES, sig, '', 'alice', AT)).toBe(false);
    // An unlisted key (bob's key listed as alice): cryptographically valid, not verified for alice.
    const bobSig = await signBytes(bob.file, BYTES);
    expect(await checkSignature(BYTES, bobSig)).toBe(true);
    expect(await verifySignature(BYTES, bobSig, signersText(allowed, 'alice'), 'alice', AT)).toBe(false);
  });

  it('a signature made for another namespace (git commit signing) does not verify here', async () => {
    const file = path.join(ring.dir, 'payload');
    writeFileSync(file, BYTES);
    execFileSync('ssh-keygen', ['-Y', 'sign', '-f', alice.file, '-n', 'git', file], { stdio: 'ignore' });
    const { readFileSync } = await import('node:fs');
    const gitSig = readFileSync(`${file}.sig`, 'utf8').trim();
    expect(await checkSignature(BYTES, gitSig)).toBe(false);
    expect(await verifySignature(BYTES, gitSig, signersText(`alice ${alice.publicKey}`, 'alice'), 'alice', AT)).toBe(false);
  });

  it('valid-before in allowed_signers is checked as of the signed time', async () => {
    const sig = await signBytes(alice.file, BYTES);
    const expiredLater = `alice valid-before="20300101" ${alice.publicKey}`;
    const expiredBefore = `alice valid-before="20200101" ${alice.publicKey}`;
    expect(await verifySignature(BYTES, sig, signersText(expiredLater, 'alice'), 'alice', AT)).toBe(true);
    expect(await verifySignature(BYTES, sig, signersText(expiredBefore, 'alice'), 'alice', AT)).toBe(false);
  });

  it('garbage is not a signature; a missing or unusable key file is a usage error naming it', async () => {
    expect(await checkSignature(BYTES, 'not a signature')).toBe(false);
    await expect(signBytes(path.join(ring.dir, 'nope'), BYTES, 'keys/nope')).rejects.toThrow(/^signing key keys\/nope does not exist$/);
    const junk = path.join(ring.dir, 'junk');
    writeFileSync(junk, 'this is not a key\n', { mode: 0o600 });
    await expect(signBytes(junk, BYTES, 'junk')).rejects.toThrow(/^signing with junk failed: /);
  });
});
