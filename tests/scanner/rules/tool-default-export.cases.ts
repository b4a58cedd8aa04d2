// The valid/invalid tables of the tool-default-export rule: run by tool-default-export.test.ts, counted by tests/scanner/meta.test.ts.
import type { RuleTable } from '../rule-tester.js';

const file = 'staged/t/index.ts';

export const tables: RuleTable[] = [
  { rule: { kind: 'tool-default-export' },
    valid: [
      { file, code: 'export default async function tool(input: { a: number }) { return { a: input.a }; }\n' },
      { file, code: 'export default (input: object) => ({ ok: true });\n' },
      { file, code: 'const tool = async (input: object) => ({});\nexport default tool;\n' },
      { file, code: 'function tool() { return {}; }\nexport { tool as default };\n' },
      { name: 'a re-export from another module cannot be judged here', file, code: 'export { default } from "./impl.js";\n' },
    ],
    invalid: [
      { name: 'no default export', file, code: 'export function tool() {}\n', errors: [{ message: 'the tool has no default export; export the tool function with `export default`', line: 1, column: 1 }] },
      { name: 'an empty file', file, code: '', errors: [{ message: 'the tool has no default export; export the tool function with `export default`', line: 1, column: 1 }] },
      { name: 'an object', file, code: 'const x = 1;\nexport default { run() {} };\n', errors: [{ message: 'the default export must be a function (input -> output)', line: 2, column: 1 }] },
      { name: 'a class', file, code: 'export default class Tool {}\n', errors: [{ message: 'the default export must be a function (input -> output)', line: 1, column: 1 }] },
      { name: 'a constant that is not a function', file, code: 'const tool = 42;\nexport default tool;\n', errors: [{ message: 'the default export must be a function (input -> output)', line: 2, column: 1 }] },
    ],
  },
];
