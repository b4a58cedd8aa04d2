/**
 * Red team (issue 8): one SSH key is one reviewer. allowed_signers commonly lists one person
 * under several names (`bob,bob@example.com ssh-ed25519 AAAA...`, as git users write it for
 * two e-mail addresses). Before the fix, bob approved once as `bob` and once as
 * `bob@example.com` with the same key and reached two "distinct" approvals; the author
 * `mallory` approved her own candidate as `mallory@home.example`, a name listed with her key.
 * And a key retired with `valid-before` still signed approvals by dating them before its
 * retirement (the signer writes `ts`): the check now uses the chain's own clock.
 * In-process through the fold (the rule) and the signature check, with real ssh-keygen.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldCandidate, type SignatureStatus } from '../../src/lifecycle/candidate-state.js';
import { identitiesOfKey, parseAllowedSigners, signatureKey, type AllowedSigner } from '../../src/stores/allowed-signers.js';
import { createKeyRing, type KeyRing, type TestKey } from '../stores/keys.js';
import { approve, chainOf, gen, ID, POLICY, stage, val } from './chain-fixtures.js';
import { checkReviewSignatures, reviewStatementBytes } from '../../src/lifecycle/review-signatures.js';

let ring: KeyRing;
let bob: TestKey;
let mallory: TestKey;
let alice: TestKey;
let signers: AllowedSigner[];

/** An armored SSHSIG by `key` (what the fold reads the signing key from; the bytes signed do not matter here). */
function sign(key: TestKey): string {
  return execFileSync('ssh-keygen', ['-Y', 'sign', '-f', key.file, '-n', 'toolsmith'], { input: 'statement', encoding: 'utf8', stdio: ['pipe', 'pipe', 'ignore'] }).trim();
}

beforeAll(() => {
  ring = createKeyRing();
  bob = ring.make('bob');
  mallory = ring.make('mallory');
  alice = ring.make('alice');
  signers = parseAllowedSigners(
    `bob,Bob@Example.com ${bob.publicKey}\nmallory,mallory@home.example ${mallory.publicKey}\nalice ${alice.publicKey}\n`,
    'allowed_signers',
  );
}, 60_000);

afterAll(() => ring.cleanup());

const POLICY2 = { ...POLICY, approvals_required: 2, allowed_signers: 'allowed_signers' };

/** Folds with every signed line taken as verified (ssh-keygen's verdict is not what is tested here). */
function foldVerified(inputs: Parameters<typeof chainOf>[0]) {
  const entries = chainOf(inputs);
  const signatures = new Map<string, SignatureStatus>(entries.filter((e) => 'signature' in e.record).map((e) => [e.hash, 'verified']));
  return foldCandidate(entries, ID, { policy: POLICY2, signatures, signers }).state;
}

describe('one key is one reviewer', () => {
  it('reads the signing key out of an SSHSIG and finds every name listed with it', () => {
    const key = signatureKey(sign(bob));
    expect(key).toBe(bob.publicKey.split(' ')[1]);
    expect(identitiesOfKey(signers, key ?? '')).toEqual(['bob', 'bob@example.com']);
    expect(signatureKey('-----BEGIN SSH SIGNATURE-----\nAAAA\n-----END SSH SIGNATURE-----')).toBeNull();
  });

  it('the same key under a second name does not make a second approval', () => {
    const sig = sign(bob);
    const state = foldVerified([gen('author'), val(), stage(), approve('bob', { signature: sig }), approve('bob@example.com', { signature: sig })]);
    expect(state.approvals.map((f) => f.record.reviewer)).toEqual(['bob']);
    expect(state.status).toBe('STAGED');
    expect(state.reviews[1]?.why).toMatch(/same key as the approval by bob/);
  });

  it('two keys of two people still make two approvals', () => {
    const state = foldVerified([gen('author'), val(), stage(), approve('bob', { signature: sign(bob) }), approve('alice', { signature: sign(alice) })]);
    expect(state.approvals.map((f) => f.record.reviewer)).toEqual(['bob', 'alice']);
    expect(state.status).toBe('APPROVED');
  });

  it('the author may not approve under another name listed with their key', () => {
    const state = foldVerified([gen('mallory'), val(), stage(), approve('mallory@home.example', { signature: sign(mallory) })]);
    expect(state.approvals).toEqual([]);
    expect(state.reviews[0]?.why).toMatch(/key allowed_signers lists for the author mallory/);
  });
});

describe('a retired key cannot sign by backdating', () => {
  it('an approval dated before valid-before, appended after later lines, does not verify', async () => {
    const retired = parseAllowedSigners(`dave valid-before="20260101" ${bob.publicKey}\n`, 'allowed_signers');
    const history = chainOf([gen('author'), val(), stage()]); // dated 2026-01-02
    const sign2 = (ts: string) => {
      const input = { ...approve('dave'), ts };
      if (input.action !== 'approve') throw new Error('unreachable');
      const armored = execFileSync('ssh-keygen', ['-Y', 'sign', '-f', bob.file, '-n', 'toolsmith'], { input: reviewStatementBytes(input, history[2]?.hash ?? ''), encoding: 'utf8', stdio: ['pipe', 'pipe', 'ignore'] }).trim();
      return { ...input, signature: armored };
    };
    const backdated = chainOf([gen('author'), val(), stage(), sign2('2025-06-01T00:00:00.000Z')]);
    const status = await checkReviewSignatures(backdated, retired);
    expect(status.get(backdated[3]?.hash ?? '')).toBe('unlisted');
    // The same key, honestly used while it was valid (every line before it dated earlier), still verifies.
    const early = chainOf([{ ...gen('author'), ts: '2025-05-01T00:00:00.000Z' }]);
    const honestInput = { ...approve('dave'), ts: '2025-06-01T00:00:00.000Z' };
    if (honestInput.action !== 'approve') throw new Error('unreachable');
    const armored = execFileSync('ssh-keygen', ['-Y', 'sign', '-f', bob.file, '-n', 'toolsmith'], { input: reviewStatementBytes(honestInput, early[0]?.hash ?? ''), encoding: 'utf8', stdio: ['pipe', 'pipe', 'ignore'] }).trim();
    const honest = chainOf([{ ...gen('author'), ts: '2025-05-01T00:00:00.000Z' }, { ...honestInput, signature: armored }]);
    expect((await checkReviewSignatures(honest, retired)).get(honest[1]?.hash ?? '')).toBe('verified');
  }, 30_000);
});
