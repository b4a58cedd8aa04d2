/**
 * Every example in --help works as written (issue 9, item 19): each is run by bash, with
 * `toolsmith` on the PATH, from a copy of this repository's workspace (the shipped registry
 * and examples/), in lifecycle order, and must exit 0. Examples that say they need a
 * terminal (the wizard) are the only ones not run here; tests/e2e/wizard-tty.test.ts runs it.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, tempDir, toolsmith } from '../helpers.js';
import { examplesOf, helpTexts } from './help-texts.js';

/** The order the examples run in, and what a user would have done between them. */
const ORDER = ['init', 'generate', 'validate', 'stage', 'show', 'diff', 'approve', 'reject', 'promote', 'run', 'pipeline', 'pipeline check', 'manifest', 'serve', 'list', 'verify', 'scan', 'metrics', 'metrics pass-at-k', 'metrics codebleu', 'completion'];

let ws: string;
let env: NodeJS.ProcessEnv;
const examples = new Map(helpTexts().map(([name, text]) => [name, examplesOf(text)] as const));

/** What a user does by hand between commands: implement the generated candidates, stage the one to reject. */
const BETWEEN: Record<string, () => void> = {
  validate: () => {
    for (const id of ['text_stats', 'csv_group_count']) {
      for (const file of ['index.ts', 'tests.json']) copyFileSync(path.join(ws, 'examples', id, file), path.join(ws, 'staged', id, file));
    }
  },
  show: () => expect(toolsmith(ws, ['stage', 'csv_group_count']).code).toBe(0),
};

beforeAll(() => {
  ws = tempDir('toolsmith-examples-');
  const bin = tempDir('toolsmith-examples-bin-');
  const home = tempDir('toolsmith-examples-home-');
  writeFileSync(path.join(bin, 'toolsmith'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} "$@"\n`);
  chmodSync(path.join(bin, 'toolsmith'), 0o755);
  env = { PATH: `${bin}:${process.env['PATH'] ?? ''}`, HOME: home, NO_COLOR: '1', TOOLSMITH_ACTOR: 'author' };
  // This repository as a user's clone: its registry (the shipped tools) and examples/.
  for (const name of ['registry', 'examples']) cpSync(path.join(ROOT, name), path.join(ws, name), { recursive: true });
  mkdirSync(path.join(ws, 'staged'));
});

describe('the examples of --help, as written', () => {
  it('every command with examples is in the run order', () => {
    const withExamples = [...examples].filter(([, lines]) => lines.length > 0).map(([name]) => name);
    expect([...withExamples].sort()).toEqual([...ORDER, 'approve', 'reject'].filter((v, i, a) => a.indexOf(v) === i).sort());
  });

  for (const command of ORDER) {
    it(`toolsmith ${command}`, () => {
      BETWEEN[command]?.();
      const lines = (examples.get(command) ?? []).filter((line) => !/# in a terminal/.test(line));
      expect(lines.length, `no runnable example for ${command}`).toBeGreaterThan(0);
      for (const line of lines) {
        // A review is recorded by the reviewer, on their own machine: they are the actor.
        const reviewer = /--reviewer (\S+)/.exec(line)?.[1];
        const r = spawnSync('bash', ['-c', line], { cwd: ws, env: reviewer ? { ...env, TOOLSMITH_ACTOR: reviewer } : env, encoding: 'utf8' });
        expect(r.status, `$ ${line}\n${r.stdout}\n${r.stderr}`).toBe(0);
      }
    }, 60_000);
  }
});
