// The valid/invalid tables of the forbidden-call rule: run by forbidden-call.test.ts, counted by tests/scanner/meta.test.ts.
import type { RuleTable } from '../rule-tester.js';

const m = (name: string, pattern: string) => `\`${name}(...)\` is forbidden here (matches \`${pattern}\`)`;
const v = (name: string) => `\`${name}\` is used as a value, so it can be called under another name; forbidden here (matches \`${name}\`)`;

export const tables: RuleTable[] = [
  { rule: { kind: 'forbidden-call', options: { names: ['eval', 'Function', '*.run'] } },
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
        { message: m('eval', 'eval'), line: 2, column: 14 },
        { message: m('eval', 'eval'), line: 3, column: 8 },
      ] },
      { name: 'indirect eval (0, eval)', code: 'const x = (0, eval)("1");\n', errors: [{ message: m('eval', 'eval'), line: 1, column: 15 }] },
      { name: 'new Function and Function()', code: 'const f = new Function("a", "return a");\nconst g = Function("return 1");\n', errors: [
        { message: m('Function', 'Function'), line: 1, column: 11 },
        { message: m('Function', 'Function'), line: 2, column: 11 },
      ] },
      { name: 'x.run, x["run"], optional chaining', code: 'tool.run(1);\ntool["run"](2);\ntool?.run(3);\ntool.run?.(4);\n', errors: [
        { message: m('tool.run', '*.run'), line: 1, column: 6 },
        { message: m('tool.run', '*.run'), line: 2, column: 6 },
        { message: m('tool.run', '*.run'), line: 3, column: 7 },
        { message: m('tool.run', '*.run'), line: 4, column: 6 },
      ] },
      { name: 'deep receivers, call/apply, parentheses and non-null', code: 'this.a.b.run(1);\ntools[0].run.call(null, 1);\n(x!.run)(2);\n', errors: [
        { message: m('this.a.b.run', '*.run'), line: 1, column: 10 },
        { message: m('tools[…].run', '*.run'), line: 2, column: 10 },
        { message: m('x.run', '*.run'), line: 3, column: 5 },
      ] },
      { name: 'eval.call', code: 'eval.call(null, "1");\n', errors: [{ message: m('eval', 'eval'), line: 1, column: 1 }] },
      { name: 'the finding spans the called name (new: from `new`)', code: 'x.y(globalThis.eval("1" + "2" + "3"));\nconst f = new Function("a", "return a");\n', errors: [
        { message: m('eval', 'eval'), line: 1, column: 16, snippet: 'eval' },
        { message: m('Function', 'Function'), line: 2, column: 11, snippet: 'new Function' },
      ] },
    ],
  },

  // Issue 9 item 18: forms that were missed, and locals that were false alarms.
  { rule: { kind: 'forbidden-call', options: { names: ['eval', 'Function'] } },
    valid: [
      { name: 'a shadowing parameter named eval (sloppy script)', file: 'src/case.js', code: 'function f(eval) { return eval(1); }\n' },
      { name: 'a local Function (const, var in a function, parameter of a method)', code: 'const Function = make;\nnew Function("x");\nfunction g() { { new Function("y"); } var Function = h; }\nclass A { m(Function: F) { return new Function(); } }\n' },
      { name: 'a local eval used as a value', file: 'src/case.js', code: 'function g(eval) { return [eval]; }\n' },
      { name: 'reads that do not hand the function on', code: 'typeof eval;\nx instanceof Function;\nif (eval === y) z();\nFunction.prototype.toString.call(f);\nconst n = eval.length;\nconst k = { [eval]: 1 }[Function];\nconst s = `${eval}` + Function;\n' },
      { name: 'Function and eval in types', code: 'let f: Function = g;\ninterface I extends Function {}\ntype T = typeof eval;\n' },
      { name: 'property names and keys', code: 'const o = { eval: 1, Function() {} };\no.eval;\nconst { eval: e } = o;\n' },
    ],
    invalid: [
      { name: 'const e = eval; e(x)', code: 'const e = eval;\ne(x);\n', errors: [{ message: v('eval'), line: 1, column: 11, snippet: 'eval' }] },
      { name: 'const F = Function; new F()', code: 'const F = Function;\nnew F("return 1");\n', errors: [{ message: v('Function'), line: 1, column: 11 }] },
      { name: 'globalThis.globalThis.eval and window.self.eval', code: 'globalThis.globalThis.eval("x");\nwindow.self["eval"]("y");\n', errors: [
        { message: m('eval', 'eval'), line: 1, column: 23 },
        { message: m('eval', 'eval'), line: 2, column: 13 },
      ] },
      { name: 'taken from the global object as a value or by destructuring', code: 'const e = globalThis.eval;\nconst { Function: F } = globalThis;\n({ eval: x } = window);\n', errors: [
        { message: v('eval'), line: 1, column: 11, snippet: 'globalThis.eval' },
        { message: v('Function'), line: 2, column: 9, snippet: 'Function: F' },
        { message: v('eval'), line: 3, column: 4 },
      ] },
      { name: 'handed on: argument, array, logical, export, class heritage', code: 'run(eval);\nconst a = [Function];\nconst b = x || eval;\nexport default Function;\nclass X extends Function {}\n', errors: [
        { message: v('eval'), line: 1, column: 5 },
        { message: v('Function'), line: 2, column: 12 },
        { message: v('eval'), line: 3, column: 16 },
        { message: v('Function'), line: 4, column: 16 },
        { message: v('Function'), line: 5, column: 17 },
      ] },
      { name: 'bind: kept is a value, called at once is a call', code: 'const b = eval.bind(null);\neval.bind(null)("x");\n', errors: [
        { message: v('eval'), line: 1, column: 11 },
        { message: m('eval', 'eval'), line: 2, column: 1 },
      ] },
      { name: 'a tagged template calls the function', code: 'const f = Function`return process`;\n', errors: [{ message: v('Function'), line: 1, column: 11 }] },
      { name: 'a declaration in another block, or `declare`, does not shadow', code: '{ const Function = 1; }\nnew Function("a");\ndeclare const eval: unknown;\neval("b");\n', errors: [
        { message: m('Function', 'Function'), line: 2, column: 1 },
        { message: m('eval', 'eval'), line: 4, column: 1 },
      ] },
    ],
  },

  { rule: { kind: 'forbidden-call', id: 'no-sandbox', message: 'use the runner, not {name}', options: { names: ['runInSandbox'] } },
    valid: ['import { x } from "y";\nx();\n'],
    invalid: [{ name: 'custom id and message', code: 'runInSandbox(a, b);\n', errors: [{ message: 'use the runner, not runInSandbox', line: 1, column: 1 }] }],
  },
];
