import { describe, expect, it } from 'vitest';
import { extractCode, extractJson } from '../../src/generate/extract-code.js';
import { redactSecret, retryWait } from '../../src/generate/chat-client.js';

const CODE = 'export default async function f(input: { a: number }) {\n  return { a: input.a };\n}\n';

describe('extractCode', () => {
  it.each([
    ['a ts fence with prose around it', `Here you go:\n\`\`\`ts\n${CODE}\`\`\`\nDone.`],
    ['a typescript fence after a json fence', `\`\`\`json\n{"a":1}\n\`\`\`\n\`\`\`typescript\n${CODE}\`\`\``],
    ['the fence with export default among several code fences', `\`\`\`ts\nconst helper = 1;\n\`\`\`\n\`\`\`ts\n${CODE}\`\`\``],
    ['an unclosed fence (a reply cut at max_tokens)', `\`\`\`ts\n${CODE}`],
    ['unfenced code with prose around it', `Sure.\n${CODE}Hope it helps.`],
    ['a tilde fence', `~~~ts\n${CODE}~~~`],
  ])('%s', (_name, reply) => {
    expect(extractCode(reply)).toEqual({ code: CODE });
  });

  it.each([
    ['an empty reply', '', /empty/],
    ['prose only', 'I cannot do that.', /no code/],
    ['code without export default', '```ts\nconst x = 1;\n```', /no `export default`/],
    ['code over the size cap', `\`\`\`ts\n${CODE}${'// x\n'.repeat(70_000)}\`\`\``, /larger than/],
  ])('%s is refused with the reason', (_name, reply, why) => {
    const result = extractCode(reply);
    expect('problem' in result && result.problem).toMatch(why);
  });

  it('a reply cannot choose where its code goes: a "file:" header is just text in the code', () => {
    const reply = `\`\`\`ts file=../../../etc/cron.d/x\n// path: ../../outside.ts\n${CODE}\`\`\``;
    const result = extractCode(reply);
    expect(result).toEqual({ code: `// path: ../../outside.ts\n${CODE}` });
  });
});

describe('extractJson', () => {
  it('takes the json fence, else the bracketed span', () => {
    expect(extractJson('x\n```json\n{"a":1}\n```')).toEqual({ value: { a: 1 } });
    expect(extractJson('The spec is {"a":[1,2]} as asked.')).toEqual({ value: { a: [1, 2] } });
    expect(extractJson('nothing here')).toEqual({ problem: 'the reply holds no JSON' });
  });
});

describe('retry waits', () => {
  const headers = (h: Record<string, string>) => new Headers(h);
  it('honours Retry-After (seconds, HTTP date, retry-after-ms), capped', () => {
    expect(retryWait(headers({ 'retry-after': '2' }), 0, {})).toBe(2000);
    expect(retryWait(headers({ 'retry-after-ms': '150' }), 0, {})).toBe(150);
    expect(retryWait(headers({ 'retry-after': '3600' }), 0, { maxWaitMs: 5000 })).toBe(5000);
    expect(retryWait(headers({ 'retry-after': new Date(Date.now() - 10_000).toUTCString() }), 0, {})).toBe(0);
  });
  it('else backs off exponentially with jitter between half and all of the step', () => {
    expect(retryWait(headers({}), 0, { backoffBaseMs: 100, random: () => 0 })).toBe(50);
    expect(retryWait(headers({}), 3, { backoffBaseMs: 100, random: () => 0.999999 })).toBe(800);
    expect(retryWait(headers({}), 20, { backoffBaseMs: 100, maxWaitMs: 1000, random: () => 0.5 })).toBe(1000);
  });
});

it('redactSecret replaces every occurrence of the key', () => {
  expect(redactSecret('key sk-1 and sk-1 again', 'sk-1')).toBe('key [redacted] and [redacted] again');
  expect(redactSecret('no key', undefined)).toBe('no key');
});
