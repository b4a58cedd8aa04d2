// The valid/invalid tables of the method-signature rule: run by method-signature.test.ts, counted by tests/scanner/meta.test.ts.
import type { RuleTable } from '../rule-tester.js';

export const tables: RuleTable[] = [
  { rule: { kind: 'method-signature', options: { class: 'ToolRunner', method: 'run', min_params: 2 } },
    valid: [
      'class ToolRunner {\n  run(toolId: string, payload: unknown) {}\n}\n',
      'class ToolRunner {\n  run(toolId: string, payload: unknown, extra?: number) {}\n}\n',
      { name: 'an arrow-function property', code: 'class ToolRunner {\n  run = (a: string, b: unknown) => a;\n}\n' },
      { name: 'another class', code: 'class ToolRunner { run(a: string, b: string) {} }\nclass Other { run() {} }\n' },
    ],
    invalid: [
      { name: 'one parameter', code: 'class ToolRunner {\n  async run(toolId: string) {}\n}\n', errors: [{ message: 'ToolRunner.run takes 1 parameter(s); it must take at least 2', line: 2, column: 9 }] },
      { name: 'this: is not a parameter', code: 'class ToolRunner {\n  run(this: ToolRunner, a: string) {}\n}\n', errors: [{ message: 'ToolRunner.run takes 1 parameter(s); it must take at least 2', line: 2, column: 3 }] },
      { name: 'no such method', code: 'const X = 1;\nclass ToolRunner {}\n', errors: [{ message: 'class ToolRunner has no method run', line: 2, column: 7 }] },
    ],
  },
];
