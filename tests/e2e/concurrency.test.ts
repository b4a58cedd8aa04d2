/**
 * The registry under concurrent writers and crashes (SPEC 6): 20 promotes at once lose no
 * update and keep the audit chain valid; a promote killed with SIGKILL leaves a registry
 * that `verify` accepts, and the promote can simply be run again.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createWorkspace, tempDir, toolsmith, toolsmithAsync } from '../helpers.js';
import { prepareApproved, readJsonFile, runAsync, toolsmithJson, waitFor } from './e2e-helpers.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('concurrent promotes', () => {
  it('20 promotes of 20 tools started at once all succeed, lose nothing, and keep the audit chain valid', async () => {
    const ws = createWorkspace();
    const ids = Array.from({ length: 20 }, (_, i) => `tool_${String(i + 1).padStart(2, '0')}`);
    await prepareApproved(ws, ids);
    for (const id of ids) expect(readJsonFile(path.join(ws, 'staged', id, 'candidate.json')).status).toBe('APPROVED');

    const results = await Promise.all(ids.map((id) => runAsync(ws, ['promote', id, '--json'])));
    results.forEach((r, i) => {
      expect(r.code, `promote ${ids[i]}: ${r.stderr}${r.stdout}`).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ tool_id: ids[i], version: '1.0.0', already_promoted: false });
    });

    const metadata = readJsonFile(path.join(ws, 'registry/metadata.json'));
    expect(Object.keys(metadata.tools).sort()).toEqual(ids);
    const audit = auditActions(ws);
    expect(audit.filter((a) => a.action === 'promote').map((a) => a.tool_id).sort()).toEqual(ids);
    // 20 x (generate, validate, stage, approve, promote), every line kept.
    expect(audit).toHaveLength(100);
    for (const id of ids) expect(existsSync(path.join(ws, 'staged', id))).toBe(false);

    const verify = toolsmithJson(ws, ['verify']);
    expect(verify.code, JSON.stringify(verify.json.problems)).toBe(0);
    expect(verify.json).toMatchObject({ ok: true, tools_checked: 20, audit_lines: 100, problems: [], warnings: [] });
    // The registry serves what was promoted.
    const run = toolsmithJson(ws, ['run', 'tool_07', '--input', '{"n": 7}']);
    expect(run.json.result).toEqual({ n: 7 });
  }, 180_000);
});

describe('a promote killed with SIGKILL', () => {
  it('leaves a registry that verify accepts, and promote succeeds when run again', async () => {
    const ws = createWorkspace();
    // Kill moments: two at a random 0-300 ms after spawn (as a CI job killed early), and,
    // because start-up alone takes longer than that on a slow machine, three at a random
    // 0-250 ms after the promote took the registry lock (copy, build, rename, audit,
    // metadata, cleanup: the moments a crash can really hurt). The last one is killed the
    // moment metadata.json lists the tool, while the promote removes the candidate from
    // staged/ (a package of 1,500 files makes that removal last long enough to hit).
    const plans: Array<{ from: 'spawn' | 'lock' | 'commit'; delay: number }> = [
      { from: 'spawn', delay: Math.random() * 300 },
      { from: 'spawn', delay: Math.random() * 300 },
      { from: 'lock', delay: Math.random() * 80 },
      { from: 'lock', delay: 80 + Math.random() * 90 },
      { from: 'lock', delay: 170 + Math.random() * 80 },
      { from: 'commit', delay: 2 + Math.random() * 18 },
    ];
    const ids = plans.map((_, i) => `crash_${i + 1}`);
    const bigId = ids.at(-1)!;
    await prepareApproved(ws, ids, {
      afterImplement: (id) => {
        if (id !== bigId) return;
        mkdirSync(path.join(ws, 'staged', id, 'data'));
        for (let f = 0; f < 1500; f++) writeFileSync(path.join(ws, 'staged', id, 'data', `f${f}.txt`), `${f}\n`);
      },
    });
    const lockDir = path.join(ws, 'registry', '.lock');
    const log: string[] = [];
    // A SIGKILLed process cannot remove its private temporary folder: the test gives the
    // killed ones a TMPDIR of its own, removed with the test's other folders.
    const killedTmp = tempDir('toolsmith-killed-');

    for (const [i, plan] of plans.entries()) {
      const id = ids[i]!;
      const child = toolsmithAsync(ws, ['promote', id], { TMPDIR: killedTmp });
      const exited = waitFor(child);
      let done = false;
      void exited.then(() => (done = true));
      if (plan.from === 'lock') {
        while (!done && !existsSync(lockDir)) await sleep(1);
      }
      if (plan.from === 'commit') {
        const metadataFile = path.join(ws, 'registry/metadata.json');
        while (!done && !readFileSync(metadataFile, 'utf8').includes(`"${id}"`)) await sleep(1);
      }
      await sleep(plan.delay);
      child.kill('SIGKILL');
      const crash = await exited;
      const staged = existsSync(path.join(ws, 'staged', id, 'candidate.json'));
      const inMetadata = id in readJsonFile(path.join(ws, 'registry/metadata.json')).tools;
      log.push(`${id}: kill ${plan.delay.toFixed(0)} ms after ${plan.from}: ${crash.signal ?? `exit ${crash.code}`}, staged=${staged}, promoted=${inMetadata}`);

      // Whatever the moment, the registry verifies (an interrupted transition is a warning, not a problem).
      const verify = toolsmithJson(ws, ['verify']);
      expect(verify.code, `${log.at(-1)}\n${JSON.stringify(verify.json, null, 2)}`).toBe(0);
      // No half-written file anywhere: every JSON file of the registry parses.
      expect(() => readJsonFile(path.join(ws, 'registry/metadata.json'))).not.toThrow();

      // The candidate is either still there in full (promote did not finish: run it again) or
      // gone because the promote had committed (then it is in metadata.json).
      if (staged) {
        const again = toolsmithJson(ws, ['promote', id]);
        expect(again.code, `${log.at(-1)}\n${again.stderr}${again.stdout}`).toBe(0);
        expect(again.json.version).toBe('1.0.0');
      } else {
        expect(inMetadata, `${log.at(-1)}: candidate gone but not promoted`).toBe(true);
        expect(existsSync(path.join(ws, 'staged', id)), `${log.at(-1)}: half-removed candidate folder left in staged/`).toBe(false);
      }
      const after = toolsmithJson(ws, ['verify']);
      expect(after.code, JSON.stringify(after.json.problems)).toBe(0);
      expect(after.json.warnings).toEqual([]);
      expect(readJsonFile(path.join(ws, 'registry/metadata.json')).tools[id].version).toBe('1.0.0');
      const run = toolsmithJson(ws, ['run', id, '--input', '{"n": 3}']);
      expect(run.code, `${log.at(-1)}: ${run.stdout}`).toBe(0);
      expect(run.json.result).toEqual({ n: 3 });
    }
    // Leftovers of killed promotes are hidden temporaries, never a version folder without metadata.
    const metadata = readJsonFile(path.join(ws, 'registry/metadata.json'));
    for (const id of ids) {
      const versions = readdirSync(path.join(ws, 'registry/tools', id)).filter((f) => !f.startsWith('.'));
      expect(versions).toEqual([metadata.tools[id].version]);
    }
    expect(toolsmith(ws, ['verify']).code).toBe(0);
    console.log(log.join('\n'));
  }, 180_000);
});

function auditActions(ws: string): Array<{ action: string; tool_id: string }> {
  const text = readFileSync(path.join(ws, 'registry/audit.jsonl'), 'utf8');
  return text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { action: string; tool_id: string });
}
