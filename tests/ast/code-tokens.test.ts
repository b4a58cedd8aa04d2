import { describe, expect, it } from 'vitest';
import { extractCodeTokens } from '../../src/ast/code-tokens.js';
import { parseSource } from '../../src/ast/parse-source.js';

const parseCode = (source: string) => parseSource('code.ts', source).sourceFile;

const tokens = (source: string) => extractCodeTokens(parseCode(source)).texts;

describe('extractCodeTokens', () => {
  it('tokens of an arrow function, keywords flagged', () => {
    const result = extractCodeTokens(parseCode('const f = (x) => { return x + 1; };'));
    expect(result.texts).toEqual(['const', 'f', '=', '(', 'x', ')', '=>', '{', 'return', 'x', '+', '1', '}']);
    expect(result.texts.filter((_, i) => result.keywords[i])).toEqual(['const', 'return']);
  });

  it.each([
    ['comments and whitespace', 'let a = 1; // one\n/* two */ let   b =\n 2;', 'let a = 1; let b = 2;'],
    ['optional semicolons', 'let a = 1\nlet b = 2\nf()', 'let a = 1; let b = 2; f();'],
    ['trailing commas', 'f(a, b,); const x = [1, 2,]; const o = { a: 1, };', 'f(a, b); const x = [1, 2]; const o = { a: 1 };'],
    ['redundant parentheses', 'const x = ((a + b)); return (x);', 'const x = a + b; return x;'],
    ['arrow parameters with or without parentheses', 'const f = x => x; const g = async y => y;', 'const f = (x) => x; const g = async (y) => y;'],
    ['quotes', "const s = 'it\\'s'; const t = `t`;", 'const s = "it\'s"; const t = `t`;'],
    ['number spelling', 'const n = 1.0 + 0x10 + 1.50;', 'const n = 1 + 16 + 1.5;'],
    ['stray semicolons', 'f();; class A { m() {}; }', 'f(); class A { m() {} }'],
  ])('%s do not change the tokens', (_name, a, b) => {
    expect(tokens(a)).toEqual(tokens(b));
  });

  it('writes a bare arrow parameter in parentheses, and keeps typed and empty parameter lists in order', () => {
    expect(tokens('const f = async x => x;')).toEqual(tokens('const f = async (x) => x;'));
    expect(tokens('const f = (x: number): number => x;')).toEqual(['const', 'f', '=', '(', 'x', ':', 'number', ')', ':', 'number', '=>', 'x']);
    expect(tokens('const f = (): void => {};')).toEqual(['const', 'f', '=', '(', ')', ':', 'void', '=>', '{', '}']);
    expect(tokens('const f = <T,>(a: T, b,) => a;')).toEqual(tokens('const f = <T>(a: T, b) => a'));
  });

  it('keeps the semicolons of a for header and regular expressions and templates whole', () => {
    expect(tokens('for (let i = 0; i < n; i++) {}')).toEqual(['for', '(', 'let', 'i', '=', '0', ';', 'i', '<', 'n', ';', 'i', '++', ')', '{', '}']);
    const t = tokens('x.split(/\\//); const s = `a${b}c//d`;');
    expect(t).toContain('/\\//');
    expect(t.filter((x) => x.startsWith('`'))).toHaveLength(2);
    expect(t).toContain('b');
  });

  it('tells different programs apart', () => {
    expect(tokens('a < b')).not.toEqual(tokens('a > b'));
    expect(tokens('"a"')).not.toEqual(tokens('a'));
    expect(tokens('[a,,]')).not.toEqual(tokens('[a,]'));
  });
});
