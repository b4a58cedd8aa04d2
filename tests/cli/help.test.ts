/**
 * Every command's --help (issue 9, item 19): an Examples section, the global flags, the exit
 * codes and the environment variables; the README shows every command's help, and its
 * exit-code table and environment list say what the code says (issue 10, item 8). Read
 * in-process from the same command tree the binary builds.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENVIRONMENT } from '../../src/cli/environment.js';
import { EXIT, EXIT_MEANINGS } from '../../src/models/exit-codes.js';
import { ROOT } from '../helpers.js';
import { examplesOf, helpReference, helpTexts } from './help-texts.js';

const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

describe('--help of every command', () => {
  const texts = helpTexts();

  it('covers every command of the tree', () => {
    expect(texts.map(([name]) => name)).toEqual(expect.arrayContaining(['', 'init', 'generate', 'validate', 'run', 'scan', 'metrics', 'metrics pass-at-k', 'metrics codebleu', 'completion']));
  });

  it.each(helpTexts().filter(([name]) => name !== ''))('toolsmith %s --help has Examples, the global flags, exit codes and environment', (name, text) => {
    expect(text).toMatch(/\nExamples:\n {2}\$ /);
    for (const example of examplesOf(text)) expect(example, name).toMatch(/\btoolsmith\b/);
    expect(text).toMatch(/Global Options:[\s\S]*--json[\s\S]*--quiet[\s\S]*--verbose[\s\S]*--workspace[\s\S]*--no-color/);
    expect(text).toMatch(/\nExit codes:\n/);
    for (const [code, meaning] of Object.entries(EXIT_MEANINGS)) expect(text).toContain(`  ${code.padEnd(5)}${meaning}`);
    expect(text).toMatch(/\nEnvironment:\n/);
    for (const variable of Object.keys(ENVIRONMENT)) expect(text).toMatch(new RegExp(`^ {2}${variable} `, 'm'));
  });
});

describe('README agrees with the code', () => {
  it('the help of every command, regenerated from the command tree, is what the README shows', () => {
    const section = /<!-- help:begin -->\n([\s\S]*?)\n<!-- help:end -->/.exec(README)?.[1];
    expect(section, 'README.md has no <!-- help:begin --> ... <!-- help:end --> section').toBeDefined();
    // On a difference, the expected side is the section to paste between the markers.
    expect(section).toBe(helpReference());
  });

  it('the exit-code table lists exactly the codes of src/models/exit-codes.ts, with their meanings', () => {
    const section = /### Exit codes\n([\s\S]*?)\n(?=#|\n[^|])/.exec(README)?.[1] ?? '';
    const rows = [...section.matchAll(/^\| (\d+) \| (.+) \|$/gm)].map((m) => [Number(m[1]), m[2]] as const);
    expect(rows.length).toBeGreaterThan(0);
    expect(Object.fromEntries(rows)).toEqual(Object.fromEntries(Object.entries(EXIT_MEANINGS).map(([k, v]) => [Number(k), v])));
    expect(rows.map(([code]) => code).sort((a, b) => a - b)).toEqual(Object.values(EXIT).sort((a, b) => a - b));
  });

  it('the environment table lists every variable toolsmith reads', () => {
    const section = /### Environment\n([\s\S]*?)\n(?=#)/.exec(README)?.[1] ?? '';
    for (const [variable, meaning] of Object.entries(ENVIRONMENT)) expect(section).toContain(`| \`${variable}\` | ${meaning} |`);
  });
});
