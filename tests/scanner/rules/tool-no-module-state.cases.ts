// The valid/invalid tables of the tool-no-module-state rule: run by tool-no-module-state.test.ts, counted by tests/scanner/meta.test.ts.
import type { RuleTable } from '../rule-tester.js';

const m = (name: string) => `module-level \`${name}\` is changed inside a function: state would carry over between calls`;

export const tables: RuleTable[] = [
  { rule: { kind: 'tool-no-module-state' },
    valid: [
      { name: 'module constants read inside functions', code: 'const LIMIT = 10;\nconst TABLE = new Map([[1, 2]]);\nexport default function f(i: number) { return TABLE.get(i) ?? LIMIT; }\n' },
      { name: 'module-level initialisation', code: 'let count = 0;\ncount += 1;\nconst list: number[] = [];\nlist.push(1);\nexport default () => count;\n' },
      { name: 'local bindings that shadow module ones', code: 'let count = 0;\nexport default function f(count: number) { count++; let list = []; list.push(1); return count; }\nconst g = () => { let count = 1; count = 2; return count; };\n' },
      { name: 'a local object mutated', code: 'export default function f() { const out: Record<string, number> = {}; out.a = 1; return out; }\n' },
    ],
    invalid: [
      { name: 'a module let assigned in a function', code: 'let calls = 0;\nexport default function f() {\n  calls = calls + 1;\n  return { calls };\n}\n', errors: [{ message: m('calls'), line: 3, column: 3 }] },
      { name: 'increment in an arrow', code: 'var n = 0;\nexport default () => ({ n: n++ });\n', errors: [{ message: m('n'), line: 2, column: 28 }] },
      { name: 'a module const collection mutated', code: 'const cache = new Map();\nconst seen: string[] = [];\nexport default function f(i: { k: string }) {\n  cache.set(i.k, 1);\n  seen.push(i.k);\n  return {};\n}\n', errors: [
        { message: m('cache'), line: 4, column: 3 },
        { message: m('seen'), line: 5, column: 3 },
      ] },
      { name: 'a property of a module object written', code: 'const state = { last: "" };\nexport default function f(i: { k: string }) {\n  state.last = i.k;\n  return state;\n}\n', errors: [{ message: m('state'), line: 3, column: 3 }] },
    ],
  },
];
