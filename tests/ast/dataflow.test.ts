import { describe, expect, it } from 'vitest';
import { extractDataflow } from '../../src/ast/dataflow.js';
import { parseSource } from '../../src/ast/parse-source.js';

const parseCode = (source: string) => parseSource('code.ts', source).sourceFile;

const flow = (source: string) => extractDataflow(parseCode(source));
const edges = (source: string) => flow(source).edges.map((e) => (e.kind === 'computedFrom' ? `${e.target}<-${e.source}` : `use ${e.target} of ${e.source}`));

describe('extractDataflow', () => {
  it('definitions, uses and the definitions they read, with canonical names', () => {
    // f = #0, a = #1, s = #2 (first occurrence); s is defined twice.
    const source = 'function f(a) { let s = a; s = s + 1; return s; }';
    expect(edges(source)).toEqual(['use #1 of #1@1', '#2<-#1', 'use #2 of #2@1', '#2<-#2', 'use #2 of #2@2']);
    expect(flow(source).variables).toEqual([{ name: '#0', events: 'd' }, { name: '#1', events: 'du' }, { name: '#2', events: 'dudu' }]);
  });

  it('consistent renaming changes nothing', () => {
    expect(flow('function f(a) { let s = a; s += 2; return s * a; }')).toEqual(flow('function g(p) { let q = p; q += 2; return q * p; }'));
  });

  it('globals keep their names and are not renamed; properties are not variables', () => {
    expect(edges('const d = Math.abs(x.y);')).toEqual(['#0<-Math', '#0<-x']);
  });

  it('scopes: an inner binding shadows an outer one', () => {
    expect(edges('let x = 1; { let x = 2; y = x; } z = x;')).toEqual(['use #1 of #1@1', 'use #0 of #0@1']);
  });

  it('a for loop runs its body before its update', () => {
    // i = #0: defined by the initializer (1), read by the condition and the body, then i++ reads and redefines it.
    expect(edges('for (let i = 0; i < 3; i++) { g(i); }')).toEqual(['use #0 of #0@1', 'use #0 of #0@1', 'use #0 of #0@1', '#0<-#0']);
  });

  it('for-of, destructuring and compound assignment', () => {
    expect(edges('for (const [k, v] of m) { t += v; }')).toEqual(['#0<-m', '#1<-m', 'use #1 of #1@1']);
  });
});
