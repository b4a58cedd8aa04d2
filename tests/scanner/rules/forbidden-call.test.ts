import { describe } from 'vitest';
import { ruleTable } from '../rule-tester.js';

const m = (name: string, pattern: string) => `\`${name}(...)\` is forbidden here (matches \`${pattern}\`)`;

describe('forbidden-call', () => {
  ruleTable({ kind: 'forbidden-call', options: { names: ['eval', 'Function', '*.run'] } }, {
    valid: [
      { name: 'a run property that is not called', code: 'const f = tool.run;\nconst o = { run: 1 };\n' },
      { name: 'a string containing eval', code: 'const s = "eval(x)";\nconst t = `x.run()`;\n' },
      { name: 'a comment', code: '// eval("x"); tool.run(1)\n/* new Function("a") */\nexport {};\n' },
      { name: 'other names', code: 'evaluate(1);\nx.runner();\nx.running.go();\nrun();\n' },
      { name: 'a method named run being declared', code: 'class A { run(a: number) { return a; } }\n' },
      { name: 'a property named eval on an object', code: 'config.eval(1);\n' },
    ],
    invalid: [
      { name: 'direct eval', code: 'eval("1");\n', errors: [{ message: m('eval', 'eval'), line: 1, column: 1 }] },
      { name: 'globalThis.eval and window["eval"]', code: 'const a = 1;\n  globalThis.eval("1");\nwindow["eval"]("2");\n', errors: [
        { message: m('eval', 'eval'), line: 2, column: 3 },
        { message: m('eval', 'eval'), line: 3, column: 1 },
      ] },
      { name: 'indirect eval (0, eval)', code: 'const x = (0, eval)("1");\n', errors: [{ message: m('eval', 'eval'), line: 1, column: 11 }] },
      { name: 'new Function and Function()', code: 'const f = new Function("a", "return a");\nconst g = Function("return 1");\n', errors: [
        { message: m('Function', 'Function'), line: 1, column: 11 },
        { message: m('Function', 'Function'), line: 2, column: 11 },
      ] },
      { name: 'x.run, x["run"], optional chaining', code: 'tool.run(1);\ntool["run"](2);\ntool?.run(3);\ntool.run?.(4);\n', errors: [
        { message: m('tool.run', '*.run'), line: 1, column: 1 },
        { message: m('tool.run', '*.run'), line: 2, column: 1 },
        { message: m('tool.run', '*.run'), line: 3, column: 1 },
        { message: m('tool.run', '*.run'), line: 4, column: 1 },
      ] },
      { name: 'deep receivers, call/apply, parentheses and non-null', code: 'this.a.b.run(1);\ntools[0].run.call(null, 1);\n(x!.run)(2);\n', errors: [
        { message: m('this.a.b.run', '*.run'), line: 1, column: 1 },
        { message: m('tools[…].run', '*.run'), line: 2, column: 1 },
        { message: m('x.run', '*.run'), line: 3, column: 1 },
      ] },
      { name: 'eval.call', code: 'eval.call(null, "1");\n', errors: [{ message: m('eval', 'eval'), line: 1, column: 1 }] },
    ],
  });

  ruleTable({ kind: 'forbidden-call', id: 'no-sandbox', message: 'use the runner, not {name}', options: { names: ['runInSandbox'] } }, {
    valid: ['import { x } from "y";\nx();\n'],
    invalid: [{ name: 'custom id and message', code: 'runInSandbox(a, b);\n', errors: [{ message: 'use the runner, not runInSandbox', line: 1, column: 1 }] }],
  });
});
