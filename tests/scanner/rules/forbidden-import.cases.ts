// The valid/invalid tables of the forbidden-import rule: run by forbidden-import.test.ts, counted by tests/scanner/meta.test.ts.
import type { RuleTable } from '../rule-tester.js';

const m = (specifier: string, module: string) => `import of \`${specifier}\` is forbidden here (matches \`${module}\`)`;

export const tables: RuleTable[] = [
  { rule: { kind: 'forbidden-import', options: { modules: ['child_process', 'fs', 'net'] } },
    valid: [
      { name: 'import type is erased', code: 'import type { ChildProcess } from "child_process";\nexport type { Server } from "net";\n' },
      { name: 'look-alike module names', code: 'import x from "fsevents";\nimport y from "netmask";\nimport z from "./child_process.js";\n' },
      { name: 'strings and comments', code: 'const s = "child_process";\n// import "fs";\n' },
      { name: 'typeof import() is a type', code: 'type T = typeof import("fs");\n' },
      { name: 'nothing loads from a declaration file', file: 'src/types.d.ts', code: 'import { type A } from "node:child_process";\nimport { B } from "child_process";\nexport * from "fs";\ndeclare const c: typeof import("net");\n' },
      { name: 'reading require without handing it on', code: 'if (typeof require === "function") x(require.resolve("fs"), require.cache);\n' },
    ],
    invalid: [
      { name: 'static import with and without node:', code: 'import { exec } from "child_process";\nimport * as cp from "node:child_process";\n', errors: [
        { message: m('child_process', 'child_process'), line: 1, column: 1, snippet: 'import { exec } from "child_process";' },
        { message: m('node:child_process', 'child_process'), line: 2, column: 1 },
      ] },
      { name: 'sub-paths', code: 'import { readFile } from "node:fs/promises";\n', errors: [{ message: m('node:fs/promises', 'fs'), line: 1, column: 1 }] },
      { name: 'side-effect import and a type-only member import (still loads)', code: 'import "net";\nimport { type Socket } from "net";\n', errors: [
        { message: m('net', 'net'), line: 1, column: 1 },
        { message: m('net', 'net'), line: 2, column: 1 },
      ] },
      { name: 'export from', code: 'export { exec } from "child_process";\nexport * from "fs";\n', errors: [
        { message: m('child_process', 'child_process'), line: 1, column: 1 },
        { message: m('fs', 'fs'), line: 2, column: 1 },
      ] },
      { name: 'require, import(), import = require', code: 'const cp = require("child_process");\nconst n = await import("node:net");\nimport fs = require("fs");\n', errors: [
        { message: m('child_process', 'child_process'), line: 1, column: 12, snippet: 'require("child_process")' },
        { message: m('node:net', 'net'), line: 2, column: 17, snippet: 'import("node:net")' },
        { message: m('fs', 'fs'), line: 3, column: 1 },
      ] },
      { name: 'non-literal require and import()', code: 'const name = "child_process";\nrequire(name);\nawait import(`${name}`);\n', errors: [
        { message: 'require(...) with a computed specifier cannot be checked: load modules by a string literal', line: 2, column: 1 },
        { message: 'import(...) with a computed specifier cannot be checked: load modules by a string literal', line: 3, column: 7 },
      ] },
      { name: '(require)(...), (0, require)(...), require.call/apply', file: 'src/case.js', code: '(require)("child_process");\n(0, require)("fs");\nrequire.call(null, "net");\nrequire.apply(null, ["fs"]);\n', errors: [
        { message: m('child_process', 'child_process'), line: 1, column: 1 },
        { message: m('fs', 'fs'), line: 2, column: 1 },
        { message: m('net', 'net'), line: 3, column: 1 },
        { message: m('fs', 'fs'), line: 4, column: 1 },
      ] },
      { name: 'module.require and process.getBuiltinModule', file: 'src/case.cjs', code: 'module.require("fs");\nprocess.getBuiltinModule("node:child_process");\nglobalThis.process.getBuiltinModule("net");\n', errors: [
        { message: m('fs', 'fs'), line: 1, column: 1 },
        { message: m('node:child_process', 'child_process'), line: 2, column: 1 },
        { message: m('net', 'net'), line: 3, column: 1 },
      ] },
      { name: 'require handed on as a value', file: 'src/case.js', code: 'const r = require;\nr("child_process");\n', errors: [
        { message: '`require` used as a value cannot be checked: load modules by a string literal', line: 1, column: 11 },
      ] },
    ],
  },

  { rule: { kind: 'forbidden-import', options: { modules: ['child_process'], report_dynamic: false } },
    valid: [{ name: 'report_dynamic: false leaves computed specifiers and require values alone', code: 'require(name);\nconst r = require;\nawait import(x);\n' }],
    invalid: [{ name: 'literal specifiers are still checked', code: 'require(`child_process`);\n', errors: [{ message: m('child_process', 'child_process'), line: 1, column: 1 }] }],
  },
];
