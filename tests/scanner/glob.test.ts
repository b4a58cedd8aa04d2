import { describe, expect, it } from 'vitest';
import { createGlobMatcher, globToRegExp } from '../../src/scanner/glob.js';

describe('globToRegExp', () => {
  it.each([
    ['src/**', 'src/a.ts', true],
    ['src/**', 'src/a/b/c.ts', true],
    ['src/**', 'srcx/a.ts', false],
    ['src/*.ts', 'src/a.ts', true],
    ['src/*.ts', 'src/a/b.ts', false],
    ['**/node_modules/**', 'node_modules/x/y.js', true],
    ['**/node_modules/**', 'a/node_modules/x.js', true],
    ['**/node_modules/**', 'a/node_modulesx/x.js', false],
    ['staged/*/index.ts', 'staged/t/index.ts', true],
    ['staged/*/index.ts', 'staged/t/x/index.ts', false],
    ['src/{runner,sandbox}/**', 'src/sandbox/a.ts', true],
    ['src/{runner,sandbox}/**', 'src/cli/a.ts', false],
    ['src/?.ts', 'src/a.ts', true],
    ['src/a.ts', 'src/a.ts', true],
    ['src/a.ts', 'src/abts', false],
    ['./src/', 'src/x/y.ts', true],
  ])('%s matches %s: %s', (glob, file, expected) => {
    expect(globToRegExp(glob).test(file)).toBe(expected);
  });

  it('a matcher of several globs matches any; an empty list matches nothing', () => {
    const m = createGlobMatcher(['a/**', 'b/*.ts']);
    expect([m('a/x/y'), m('b/c.ts'), m('b/c/d.ts')]).toEqual([true, true, false]);
    expect(createGlobMatcher([])('x')).toBe(false);
  });
});
