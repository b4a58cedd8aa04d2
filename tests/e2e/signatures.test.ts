/**
 * Issue 8, Must show 2 and the signing half of Bad input, through the real binary with real
 * keys made by ssh-keygen for the test. With policy.allowed_signers set, an approval signed
 * by a listed key counts; unsigned, signed by an unlisted key, or by a listed key of another
 * principal it does not, and promote says how many valid approvals it has; an edited signed
 * audit line is caught by verify even when the chain is re-hashed around it.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace, prepare, snapshot, toolsmith, writeSpec, WORD_COUNT_IMPL, WORD_COUNT_SPEC, WORD_COUNT_TESTS } from '../helpers.js';
import { expectOneLineError, implement, ok, patchConfig, readJsonFile, toolsmithJson } from './e2e-helpers.js';
import { createKeyRing, type KeyRing, type TestKey } from '../stores/keys.js';

const ID = 'word_count';
let ring: KeyRing;
let keys: Record<'alice' | 'bob' | 'carol' | 'author', TestKey>;
let base: string;
const copies: string[] = [];

beforeAll(async () => {
  ring = createKeyRing();
  keys = { alice: ring.make('alice'), bob: ring.make('bob'), carol: ring.make('carol'), author: ring.make('author') };
  base = createWorkspace();
  await prepare(base, ['generate', '--spec', writeSpec(base, WORD_COUNT_SPEC)]);
  implement(base, ID, WORD_COUNT_IMPL, WORD_COUNT_TESTS);
  await prepare(base, ['validate', ID]);
  await prepare(base, ['stage', ID]);
  // The team's allowed_signers (git's format): alice, bob and the author (for signed promotions); not carol.
  writeFileSync(path.join(base, 'allowed_signers'), `# toolsmith reviewers\nalice ${keys.alice.publicKey}\nBob@Example.com,bob ${keys.bob.publicKey}\nauthor ${keys.author.publicKey}\n`);
  patchConfig(base, { policy: { allowed_signers: 'allowed_signers' } });
}, 120_000);

afterAll(() => {
  for (const dir of [base, ...copies]) rmSync(dir, { recursive: true, force: true });
  ring.cleanup();
});

function workspace(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'toolsmith-sig-'));
  cpSync(base, dir, { recursive: true });
  copies.push(dir);
  return dir;
}

function approve(ws: string, reviewer: string, key?: TestKey, actor = reviewer) {
  return toolsmithJson(ws, ['approve', ID, '--reviewer', reviewer, '--notes', 'read it', ...(key ? ['--sign-key', key.file] : [])], { env: { TOOLSMITH_ACTOR: actor } });
}

/** Rewrites audit.jsonl from edited records with every `prev` recomputed and metadata's head moved: a consistent forgery. */
function rehashChain(ws: string, edit: (records: any[]) => void): void {
  const records = readFileSync(path.join(ws, 'registry/audit.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  edit(records);
  const lines: string[] = [];
  for (const r of records) {
    r.prev = lines.length === 0 ? '0'.repeat(64) : createHash('sha256').update(lines.at(-1)!).digest('hex');
    lines.push(JSON.stringify(r));
  }
  writeFileSync(path.join(ws, 'registry/audit.jsonl'), lines.map((l) => `${l}\n`).join(''));
  const metadataFile = path.join(ws, 'registry/metadata.json');
  const metadata = readJsonFile(metadataFile);
  metadata.audit_head = createHash('sha256').update(lines.at(-1)!).digest('hex');
  writeFileSync(metadataFile, `${JSON.stringify(metadata, null, 2)}\n`);
}

describe('with policy.allowed_signers set', () => {
  it('an approval signed by a listed key counts: APPROVED, promoted, verified', () => {
    const ws = workspace();
    const r = approve(ws, 'alice', keys.alice);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json).toMatchObject({ to: 'APPROVED', reviewer: 'alice', actor: 'alice', signature: 'verified' });
    const line = readFileSync(path.join(ws, 'registry/audit.jsonl'), 'utf8').trim().split('\n').at(-1)!;
    expect(JSON.parse(line)).toMatchObject({ action: 'approve', reviewer: 'alice', actor: 'alice', notes: 'read it', signature: expect.stringMatching(/^-----BEGIN SSH SIGNATURE-----/) });
    const show = toolsmithJson(ws, ['show', ID]);
    expect(show.json.candidate.reviews).toEqual([expect.objectContaining({ reviewer: 'alice', signature: 'verified', counts: true })]);
    expect(toolsmith(ws, ['show', ID]).stdout).toMatch(/APPROVED by alice  \[signed, verified against allowed_signers\] counts/);
    const promote = toolsmithJson(ws, ['promote', ID]);
    expect(promote.code, promote.stderr).toBe(0);
    expect(promote.json.approved_by).toEqual(['alice']);
    const verify = toolsmithJson(ws, ['verify']);
    expect(verify.code, JSON.stringify(verify.json.problems)).toBe(0);
    expect(verify.json.signatures).toEqual({ policy: 'allowed_signers', signed_reviews: 1, unsigned_approvals: 0, signed_promotions: 0 });
  });

  it('a listed principal is matched after normalisation (Bob@Example.com signs as bob@example.com)', () => {
    const ws = workspace();
    expect(approve(ws, 'Bob@Example.COM', keys.bob, 'bob').json).toMatchObject({ to: 'APPROVED', reviewer: 'bob@example.com', signature: 'verified' });
  });

  it('unsigned: approve needs --sign-key (exit 2, nothing written); promote says it has 0 valid approvals', () => {
    const ws = workspace();
    const before = snapshot(ws);
    const r = toolsmith(ws, ['approve', ID, '--reviewer', 'alice'], { env: { TOOLSMITH_ACTOR: 'alice' } });
    expectOneLineError(r, 2, /approve needs --sign-key: policy\.allowed_signers requires signed approvals/);
    expect(snapshot(ws)).toEqual(before);
    expectOneLineError(toolsmith(ws, ['promote', ID]), 1, /cannot promote: it is STAGED \(promote needs APPROVED\): 0 valid approvals of these files, 1 required/);
  });

  it.each([
    ['an unlisted key (carol signs as alice)', 'carol' as const],
    ['a listed key of another principal (bob signs as alice)', 'bob' as const],
  ])('signed by %s: refused (exit 1), nothing written', (_label, signer) => {
    const ws = workspace();
    const before = snapshot(ws);
    const r = toolsmith(ws, ['approve', ID, '--reviewer', 'alice', '--sign-key', keys[signer].file], { env: { TOOLSMITH_ACTOR: 'alice' } });
    expectOneLineError(r, 1, /word_count: cannot approve: the signing key is not listed for alice in allowed_signers/);
    expect(snapshot(ws)).toEqual(before);
    expectOneLineError(toolsmith(ws, ['promote', ID]), 1, /0 valid approvals of these files, 1 required/);
  });

  it('an approval whose key was removed from allowed_signers later no longer counts: promote refuses, saying why', () => {
    const ws = workspace();
    expect(approve(ws, 'alice', keys.alice).code).toBe(0);
    writeFileSync(path.join(ws, 'allowed_signers'), `bob ${keys.bob.publicKey}\n`);
    const r = toolsmith(ws, ['promote', ID]);
    expectOneLineError(r, 1, /cannot promote: it is STAGED \(promote needs APPROVED\): 0 valid approvals of these files, 1 required; not counted: alice \(signed by a key not listed for the reviewer in allowed_signers\)/);
    expect(toolsmithJson(ws, ['show', ID]).json.candidate.reviews[0]).toMatchObject({ signature: 'unlisted', counts: false });
  });

  it('editing a signed audit line is caught by verify, even with the chain re-hashed around it', () => {
    const ws = workspace();
    expect(approve(ws, 'alice', keys.alice).code).toBe(0);
    expect(toolsmithJson(ws, ['promote', ID]).code).toBe(0);
    rehashChain(ws, (records) => {
      const a = records.find((r) => r.action === 'approve');
      a.notes = 'read it, and I vouch for its network access';
    });
    const verify = toolsmithJson(ws, ['verify']);
    expect(verify.code).toBe(1);
    const messages = verify.json.problems.map((p: { file: string; message: string }) => `${p.file}: ${p.message}`);
    expect(messages).toContain('registry/audit.jsonl:4: the signature of this approve does not match the line or the history before it (edited after signing)');
    expect(messages.join('\n')).toMatch(/registry\/audit\.jsonl:5: promote of word_count 1\.0\.0 is not governed: 0 valid approvals of these files, 1 required; not counted: alice \(its signature does not match the audit line/);
    expect(toolsmith(ws, ['verify']).stdout).toMatch(/audit\.jsonl:4: the signature of this approve does not match/);
  });

  it('a signed approval binds the history before it: a rewritten verdict under it, or the approval replayed into a new epoch, no longer verifies', async () => {
    const ws = workspace();
    expect(approve(ws, 'alice', keys.alice).code).toBe(0);
    // 1. Rewrite the validate line under alice's approval (re-hashing everything after it).
    const rewritten = workspace();
    cpSync(ws, rewritten, { recursive: true });
    rehashChain(rewritten, (records) => {
      records.find((r) => r.action === 'validate').actor = 'someone-else';
    });
    expect(toolsmithJson(rewritten, ['show', ID]).json.candidate.reviews[0]).toMatchObject({ reviewer: 'alice', signature: 'bad', counts: false });
    expectOneLineError(toolsmith(rewritten, ['promote', ID]), 1, /0 valid approvals of these files, 1 required; not counted: alice \(its signature does not match/);
    // 2. Start a new epoch with the very same files, stage it, and replay alice's signed line.
    await prepare(ws, ['generate', '--spec', writeSpec(ws, WORD_COUNT_SPEC), '--force']);
    implement(ws, ID, WORD_COUNT_IMPL, WORD_COUNT_TESTS);
    await prepare(ws, ['validate', ID]);
    await prepare(ws, ['stage', ID]);
    rehashChain(ws, (records) => {
      records.push({ ...records.find((r) => r.action === 'approve') });
    });
    const show = toolsmithJson(ws, ['show', ID]);
    expect(show.json.candidate.reviews).toEqual([expect.objectContaining({ reviewer: 'alice', signature: 'bad', counts: false })]);
    expectOneLineError(toolsmith(ws, ['promote', ID]), 1, /cannot promote: it is STAGED \(promote needs APPROVED\): 0 valid approvals/);
  });

  it('a consistently forged history with an unsigned approval does not make a promotion governed', () => {
    const ws = workspace();
    expect(approve(ws, 'alice', keys.alice).code).toBe(0);
    expect(toolsmithJson(ws, ['promote', ID]).code).toBe(0);
    rehashChain(ws, (records) => {
      const a = records.find((r) => r.action === 'approve');
      delete a.signature;
    });
    const verify = toolsmithJson(ws, ['verify']);
    expect(verify.code).toBe(1);
    expect(verify.json.problems.map((p: { message: string }) => p.message).join('\n')).toMatch(/promote of word_count 1\.0\.0 is not governed: 0 valid approvals.*alice \(unsigned/);
  });

  it('promote --sign-key writes a signed promotion record that verify checks; editing it is caught', () => {
    const ws = workspace();
    expect(approve(ws, 'alice', keys.alice).code).toBe(0);
    const promote = toolsmithJson(ws, ['promote', ID, '--sign-key', keys.author.file]);
    expect(promote.code, promote.stderr).toBe(0);
    expect(promote.json.promotion_record).toBe('registry/tools/word_count/1.0.0/promotion.json');
    const recordFile = path.join(ws, 'registry/tools/word_count/1.0.0/promotion.json');
    const record = readJsonFile(recordFile);
    expect(record).toMatchObject({
      payload_type: 'application/vnd.in-toto+json',
      signer: 'author',
      statement: {
        _type: 'https://in-toto.io/Statement/v1',
        predicateType: 'https://toolsmith.dev/attestations/promotion/v1',
        predicate: { tool_id: ID, version: '1.0.0', promoter: 'author', approvals: [{ reviewer: 'alice', audit_line_sha256: expect.any(String) }] },
      },
    });
    expect(record.statement.subject.map((s: { name: string }) => s.name)).toContain('build/index.js');
    expect(toolsmithJson(ws, ['verify']).json).toMatchObject({ ok: true, signatures: { signed_promotions: 1 } });
    writeFileSync(recordFile, readFileSync(recordFile, 'utf8').replace('"promoter": "author"', '"promoter": "alice"'));
    const verify = toolsmithJson(ws, ['verify']);
    expect(verify.code).toBe(1);
    expect(verify.json.problems).toEqual([{ tool_id: ID, file: 'registry/tools/word_count/1.0.0/promotion.json', message: expect.stringMatching(/modified since promote/) }]);
    // run does not depend on the record: the frozen files are anchored in the promote line.
    expect(toolsmithJson(ws, ['run', ID, '--input', '{"text": "a b"}']).json.result).toEqual({ words: 2 });
  });

  it('promote --sign-key with a key not listed for the promoter is refused before anything is written', () => {
    const ws = workspace();
    expect(approve(ws, 'alice', keys.alice).code).toBe(0);
    const before = snapshot(ws);
    expectOneLineError(toolsmith(ws, ['promote', ID, '--sign-key', keys.carol.file]), 1, /cannot promote: the signing key is not listed for author in allowed_signers/);
    expect(snapshot(ws)).toEqual(before);
  });
});

describe('signing without policy.allowed_signers', () => {
  it('a signed approval is accepted and shown as signed but unchecked; verify checks it is intact', () => {
    const ws = workspace();
    patchConfig(ws, { policy: { allowed_signers: null } });
    expect(approve(ws, 'carol', keys.carol).json).toMatchObject({ to: 'APPROVED', signature: 'signed' });
    expect(toolsmith(ws, ['show', ID]).stdout).toMatch(/\(approvals are unsigned names: policy\.allowed_signers is not set\)[\s\S]*\[signed \(not checked: no policy\.allowed_signers\)\]/);
    const verify = toolsmith(ws, ['verify']);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/approvals unsigned: policy\.allowed_signers is not set/);
  });
});

describe('bad input around signing', () => {
  it('an allowed_signers file that does not parse: one line naming file:line, exit 2, nothing written', () => {
    const ws = workspace();
    writeFileSync(path.join(ws, 'allowed_signers'), `alice ${keys.alice.publicKey}\nbob ssh-ed25519\n`);
    const before = snapshot(ws);
    for (const args of [['approve', ID, '--reviewer', 'alice', '--sign-key', keys.alice.file], ['promote', ID], ['verify'], ['show', ID]]) {
      expectOneLineError(toolsmith(ws, args, { env: { TOOLSMITH_ACTOR: 'alice' } }), 2, /^toolsmith: allowed_signers:2: missing the base64 key after ssh-ed25519$/);
    }
    expect(snapshot(ws)).toEqual(before);
  });

  it('a missing allowed_signers file and a missing key file: exit 2 naming them', () => {
    const ws = workspace();
    const before = snapshot(ws);
    expectOneLineError(toolsmith(ws, ['approve', ID, '--reviewer', 'alice', '--sign-key', 'no/such/key'], { env: { TOOLSMITH_ACTOR: 'alice' } }), 2, /signing key no\/such\/key does not exist/);
    expectOneLineError(toolsmith(ws, ['approve', ID, '--reviewer', 'alice', '--sign-key', 'x'], { env: { TOOLSMITH_ACTOR: 'alice', TOOLSMITH_SIGN_KEY: '' } }), 2, /signing key x does not exist/);
    rmSync(path.join(ws, 'allowed_signers'));
    expectOneLineError(toolsmith(ws, ['verify']), 2, /policy\.allowed_signers names allowed_signers, which does not exist/);
    expect(snapshot(ws)).toEqual({ ...before, allowed_signers: undefined } as never);
  });

  it('TOOLSMITH_SIGN_KEY signs when --sign-key is not given', () => {
    const ws = workspace();
    const r = toolsmithJson(ws, ['approve', ID, '--reviewer', 'alice'], { env: { TOOLSMITH_ACTOR: 'alice', TOOLSMITH_SIGN_KEY: keys.alice.file } });
    expect(r.json).toMatchObject({ to: 'APPROVED', signature: 'verified' });
  });
});
