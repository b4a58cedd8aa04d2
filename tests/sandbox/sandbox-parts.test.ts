import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSeccompFilter } from '../../src/sandbox/create-seccomp-filter.js';
import { findRuntimeFiles } from '../../src/sandbox/find-runtime-files.js';
import { isSafeRelativePath, jsonNestsDeeperThan, parseReply, MAX_RESULT_DEPTH } from '../../src/sandbox/parse-reply.js';
import { planReadAccess } from '../../src/sandbox/plan-read-access.js';
import { readElfInfo } from '../../src/sandbox/read-elf-info.js';
import { refuseUngrantedFiles } from '../../src/sandbox/run-in-sandbox.js';
import { createToolEnv } from '../../src/sandbox/child-command.js';
import type { SandboxOutcome, SandboxRequest } from '../../src/sandbox/types.js';

const NONCE = 'a'.repeat(32);

describe('parseReply: the reply is hostile data', () => {
  it('parses a framed reply and its output files', () => {
    const body = '{"ok":true,"value":{"n":1},"files":[{"path":"out/a.txt","base64":"aGk="}]}';
    expect(parseReply(`junk${NONCE}${body}${NONCE}`, NONCE)).toEqual({ reply: { ok: true, value: { n: 1 }, files: [{ path: 'out/a.txt', base64: 'aGk=' }] } });
  });

  it('refuses a 300,000-deep value before parsing it, without overflowing the stack', () => {
    const body = `{"ok":true,"value":${'['.repeat(300_000)}${']'.repeat(300_000)}}`;
    expect(parseReply(`${NONCE}${body}${NONCE}`, NONCE)).toEqual({ problem: expect.stringMatching(/deeper than 1000 levels/) });
  });

  it('counts brackets inside strings as text, not nesting', () => {
    expect(jsonNestsDeeperThan(JSON.stringify({ s: '['.repeat(5_000) }), 3)).toBe(false);
    expect(jsonNestsDeeperThan(JSON.stringify({ s: '\\"[[[[' }), 1)).toBe(false);
    expect(jsonNestsDeeperThan('[[[[]]]]', 3)).toBe(true);
    expect(jsonNestsDeeperThan(`${'['.repeat(MAX_RESULT_DEPTH)}${']'.repeat(MAX_RESULT_DEPTH)}`, MAX_RESULT_DEPTH)).toBe(false);
  });

  it.each([
    ['no closing nonce', `${NONCE}{"ok":true,"value":1}`, null],
    ['not JSON', `${NONCE}{"ok":tru${NONCE}`, { problem: expect.stringMatching(/not valid JSON/) }],
    ['a file path leaving the folder', `${NONCE}{"ok":true,"value":1,"files":[{"path":"../x","base64":""}]}${NONCE}`, { problem: expect.stringMatching(/output files/) }],
    ['an unknown failure kind', `${NONCE}{"ok":false,"kind":"hack","error":{"name":"E","message":"m"}}${NONCE}`, { problem: expect.stringMatching(/malformed/) }],
  ])('%s', (_label, text, expected) => {
    expect(parseReply(text, NONCE)).toEqual(expected);
  });

  it.each([['a.txt', true], ['dir/a.txt', true], ['../a', false], ['/etc/passwd', false], ['a//b', false], ['./a', false], ['a\\b', false], ['', false]])('isSafeRelativePath(%j) is %s', (rel, safe) => {
    expect(isSafeRelativePath(rel)).toBe(safe);
  });
});

describe('refuseUngrantedFiles: a reply listing files for a tool without fs:write was forged', () => {
  const outcome = { ok: true, value: 1, files: [{ path: 'planted.txt', data: Buffer.from('x') }], logs: [], durationMs: 1, protections: null } as unknown as SandboxOutcome; // `as`: only ok/files matter here
  const request = (permissions: string[]) => ({ permissions }) as unknown as SandboxRequest; // `as`: only permissions is read

  it('turns it into a bad-result failure without the files', () => {
    expect(refuseUngrantedFiles(request(['fs:read']), outcome)).toMatchObject({ ok: false, kind: 'bad-result', message: expect.stringMatching(/no fs:write permission/) });
  });

  it('keeps the files of a tool granted fs:write, and a reply without files', () => {
    expect(refuseUngrantedFiles(request(['fs:write']), outcome)).toBe(outcome);
    const none = { ...outcome, files: [] } as SandboxOutcome;
    expect(refuseUngrantedFiles(request([]), none)).toBe(none);
  });
});

describe('the files Node needs inside an empty root', () => {
  it('reads the loader and the libraries of this Node from its ELF headers', () => {
    const info = readElfInfo(process.execPath);
    expect(info).not.toBeNull();
    expect(info?.needed).toEqual(expect.arrayContaining([expect.stringMatching(/^libc\.so/)]));
    const files = findRuntimeFiles(process.execPath);
    expect('error' in files).toBe(false);
    if (!('error' in files)) expect(files.files.some((f) => /libc\.so/.test(f))).toBe(true);
  });

  it('says why for a file that is not an ELF program', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'toolsmith-elf-'));
    try {
      writeFileSync(path.join(dir, 'script'), '#!/bin/sh\necho hi\n');
      expect(readElfInfo(path.join(dir, 'script'))).toBeNull();
      expect(findRuntimeFiles(path.join(dir, 'script'))).toEqual({ error: expect.stringMatching(/not a 64-bit little-endian ELF/) });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the seccomp filter', () => {
  it('is a whole number of BPF instructions ending in returns, and smaller with net allowed', () => {
    const closed = createSeccompFilter(false, 'x64');
    const open = createSeccompFilter(true, 'x64');
    expect(closed?.length ? closed.length % 8 : -1).toBe(0);
    expect(open && closed && open.length < closed.length).toBe(true);
    // The last four instructions are BPF_RET: allow, EACCES, EPERM, ENOSYS.
    const code = (buffer: Buffer, index: number) => buffer.readUInt16LE(buffer.length - 8 * index);
    expect([1, 2, 3, 4].map((i) => code(closed ?? Buffer.alloc(0), i))).toEqual([0x06, 0x06, 0x06, 0x06]);
  });

  it('is not built for an architecture without a syscall table', () => {
    expect(createSeccompFilter(false, 'mips')).toBeNull();
  });
});

describe('planReadAccess: read paths with the workspace masked', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'toolsmith-read-access-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const ws = path.join(root, 'ws');
  for (const dir of ['ws/registry/tools', 'ws/staged/x', 'ws/data', 'other']) mkdirSync(path.join(root, dir), { recursive: true });
  writeFileSync(path.join(ws, 'toolsmith.config.json'), '{}');
  writeFileSync(path.join(ws, 'data', 'a.csv'), 'a');
  const masks = ['registry', 'staged', 'toolsmith.config.json', '.git', 'node_modules'].map((m) => path.join(ws, m));

  it('mounts the read path, masks what exists inside it, and grants the permission model everything else', () => {
    const access = planReadAccess([root], masks, false);
    expect(access.mounts).toEqual([root]);
    expect(access.masks).toEqual([
      { path: path.join(ws, 'registry'), directory: true },
      { path: path.join(ws, 'staged'), directory: true },
      { path: path.join(ws, 'toolsmith.config.json'), directory: false },
    ]);
    expect(access.grants.sort()).toEqual([path.join(root, 'other'), path.join(ws, 'data')].sort());
  });

  it('skips read paths that do not exist and folds a path inside another into it', () => {
    const access = planReadAccess([path.join(root, 'missing'), ws, path.join(ws, 'data')], masks, false);
    expect(access.mounts).toEqual([ws]);
    expect(access.skipped).toEqual([`${path.join(root, 'missing')} (does not exist)`]);
  });
});

describe('the cached list of the files a program needs', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'toolsmith-runtime-cache-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is reused while every file is unchanged and worked out again when one changes', async () => {
    const { cachedRuntimeFiles } = await import('../../src/sandbox/cached-runtime-files.js');
    const { copyFileSync, appendFileSync, readdirSync, readFileSync: read } = await import('node:fs');
    const program = path.join(dir, 'prlimit-copy');
    copyFileSync('/usr/bin/prlimit', program);
    const cache = path.join(dir, 'cache');
    const first = cachedRuntimeFiles(program, cache);
    expect('error' in first).toBe(false);
    const [entry = ''] = readdirSync(path.join(cache, 'runtime'));
    const written = read(path.join(cache, 'runtime', entry), 'utf8');
    expect(cachedRuntimeFiles(program, cache)).toEqual(first);
    appendFileSync(program, 'x');
    expect(cachedRuntimeFiles(program, cache)).toEqual(first);
    expect(read(path.join(cache, 'runtime', entry), 'utf8')).not.toBe(written);
  });
});

describe('createToolEnv', () => {
  const caller = { PATH: '/usr/bin', LANG: 'C', TOOLSMITH_SIGN_KEY: '/home/r/.ssh/id_ed25519', TOOLSMITH_ACTOR: 'r', NODE_OPTIONS: '--allow-child-process', LD_PRELOAD: '/x.so', UV_THREADPOOL_SIZE: '128' };
  it('with env: the caller\'s variables, without toolsmith\'s own or those that reach node or its loader', () => {
    const env = createToolEnv(true, caller, '/work');
    expect(env).toEqual({ PATH: '/usr/bin', LANG: 'C', HOME: '/work', TMPDIR: '/work' });
  });
  it('without env: nothing of the caller\'s', () => {
    expect(createToolEnv(false, caller, '/work')).toEqual({ HOME: '/work', TMPDIR: '/work' });
  });
});
