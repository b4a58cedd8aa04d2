// The valid/invalid tables of the required-finally-call rule: run by required-finally-call.test.ts, counted by tests/scanner/meta.test.ts.
import type { RuleTable } from '../rule-tester.js';

const rule = { kind: 'required-finally-call' as const, options: { class: 'ToolRunner', method: 'run', call: 'this.options.metrics.record' } };

export const tables: RuleTable[] = [
  { rule,
    valid: [
      { name: 'recorded in the finally', code: 'class ToolRunner {\n  async run(id: string, p: unknown) {\n    try { return 1; } finally {\n      await this.options.metrics.record(id, {});\n    }\n  }\n}\n' },
      { name: 'nested try inside the finally, recorded too', code: 'class ToolRunner {\n  run(a: string, b: unknown) {\n    try { go(); } catch (e) { this.options.metrics.record(a); } finally { try { x(); } finally { this.options.metrics.record(a); } }\n  }\n}\n' },
      { name: 'another class of the same shape is not checked', code: 'class Other { run() { this.options.metrics.record(1); } }\nclass ToolRunner { run(a: string, b: string) { try {} finally { this.options.metrics.record(a); } } }\n' },
    ],
    invalid: [
      { name: 'moved out of the finally', code: 'class ToolRunner {\n  async run(id: string, p: unknown) {\n    try { return 1; } finally {}\n    this.options.metrics.record(id, {});\n  }\n}\n', errors: [
        { message: 'ToolRunner.run calls `this.options.metrics.record` outside a finally block; it must be inside one', line: 4, column: 5 },
      ] },
      { name: 'only in the catch', code: 'class ToolRunner {\n  run(a: string, b: string) {\n    try { go(); } catch { this.options.metrics.record(a); }\n  }\n}\n', errors: [
        { message: 'ToolRunner.run calls `this.options.metrics.record` outside a finally block; it must be inside one', line: 3, column: 27 },
      ] },
      { name: 'in a callback inside the finally (may never run)', code: 'class ToolRunner {\n  run(a: string, b: string) {\n    try { go(); } finally { setTimeout(() => this.options.metrics.record(a)); }\n  }\n}\n', errors: [
        { message: 'ToolRunner.run must call `this.options.metrics.record` inside a finally block; it does not call it', line: 2, column: 3 },
      ] },
      { name: 'a similar call is not the call', code: 'class ToolRunner {\n  run(a: string, b: string) {\n    try {} finally { this.metrics.record(a); }\n  }\n}\n', errors: [
        { message: 'ToolRunner.run must call `this.options.metrics.record` inside a finally block; it does not call it', line: 2, column: 3 },
      ] },
      { name: 'the method is gone', code: 'export class ToolRunner {\n  execute() {}\n}\n', errors: [
        { message: 'class ToolRunner has no method run (required to call `this.options.metrics.record` in a finally block)', line: 1, column: 14 },
      ] },
    ],
  },

  { rule,
    valid: [],
    invalid: [{ name: 'the class is nowhere: reported on the config', file: 'toolsmith.config.json', files: { 'src/other.ts': 'class Other {}\n' }, code: '{}', errors: [
      { message: 'class ToolRunner was not found in the files this rule checks', line: 1, column: 1 },
    ] }],
  },
];
