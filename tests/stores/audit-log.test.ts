/** The audit chain parser: malformed, edited, reordered and legacy lines are named by line number. */
import { describe, expect, it } from 'vitest';
import { createAuditLine, parseAuditChain } from '../../src/stores/audit-log.js';
import { approve, gen, stage, val } from '../lifecycle/chain-fixtures.js';

function text(lines: string[]): string {
  return lines.map((l) => `${l}\n`).join('');
}

function lines(): string[] {
  const out: string[] = [];
  for (const input of [gen(), val(), stage(), approve('alice')]) out.push(createAuditLine(out.at(-1), input));
  return out;
}

describe('parseAuditChain', () => {
  it('an intact chain parses with its head and no problems', () => {
    const chain = parseAuditChain(text(lines()));
    expect(chain.problems).toEqual([]);
    expect(chain.entries.map((e) => [e.line, e.record.action])).toEqual([[1, 'generate'], [2, 'validate'], [3, 'stage'], [4, 'approve']]);
    expect(chain.head).toBe(chain.entries[3]!.hash);
  });

  it('names a line that is not JSON, one that is not a record (naming the field), an edit and a reorder', () => {
    const l = lines();
    expect(parseAuditChain(text([l[0]!, '{not json', ...l.slice(2)])).problems).toEqual([
      { line: 2, message: 'not valid JSON' },
      { line: 3, message: 'prev does not match the hash of the line before (edited, removed or reordered line)' },
    ]);
    const noReviewer = JSON.stringify({ ...JSON.parse(l[3]!), reviewer: undefined });
    const problems = parseAuditChain(text([...l.slice(0, 3), noReviewer])).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ line: 4 });
    expect(problems[0]!.message).toMatch(/^not a valid audit record: approve line: .*reviewer/);
    const edited = l[1]!.replace('"is_valid":true', '"is_valid":false');
    expect(parseAuditChain(text([l[0]!, edited, l[2]!, l[3]!])).problems).toEqual([{ line: 3, message: expect.stringMatching(/prev does not match/) }]);
    expect(parseAuditChain(text([l[0]!, l[2]!, l[1]!, l[3]!])).problems.map((p) => p.line)).toEqual([2, 3, 4]);
    expect(parseAuditChain(text(l.slice(1))).problems[0]).toEqual({ line: 1, message: 'first line does not start the chain (a line before it was removed?)' });
    expect(parseAuditChain(`${text(l)}{"ts"`).problems.map((p) => p.message)).toContain('last line is incomplete');
  });
});
