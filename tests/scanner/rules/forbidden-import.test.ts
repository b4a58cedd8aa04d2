import { describe } from 'vitest';
import { ruleTable } from '../rule-tester.js';

const m = (specifier: string, module: string) => `import of \`${specifier}\` is forbidden here (matches \`${module}\`)`;

describe('forbidden-import', () => {
  ruleTable({ kind: 'forbidden-import', options: { modules: ['child_process', 'fs', 'net'] } }, {
    valid: [
      { name: 'import type is erased', code: 'import type { ChildProcess } from "child_process";\nexport type { Server } from "net";\n' },
      { name: 'look-alike module names', code: 'import x from "fsevents";\nimport y from "netmask";\nimport z from "./child_process.js";\n' },
      { name: 'strings and comments', code: 'const s = "child_process";\n// import "fs";\n' },
      { name: 'typeof import() is a type', code: 'type T = typeof import("fs");\n' },
    ],
    invalid: [
      { name: 'static import with and without node:', code: 'import { exec } from "child_process";\nimport * as cp from "node:child_process";\n', errors: [
        { message: m('child_process', 'child_process'), line: 1, column: 22 },
        { message: m('node:child_process', 'child_process'), line: 2, column: 21 },
      ] },
      { name: 'sub-paths', code: 'import { readFile } from "node:fs/promises";\n', errors: [{ message: m('node:fs/promises', 'fs'), line: 1, column: 26 }] },
      { name: 'side-effect import and a type-only member import (still loads)', code: 'import "net";\nimport { type Socket } from "net";\n', errors: [
        { message: m('net', 'net'), line: 1, column: 8 },
        { message: m('net', 'net'), line: 2, column: 29 },
      ] },
      { name: 'export from', code: 'export { exec } from "child_process";\nexport * from "fs";\n', errors: [
        { message: m('child_process', 'child_process'), line: 1, column: 22 },
        { message: m('fs', 'fs'), line: 2, column: 15 },
      ] },
      { name: 'require, import(), import = require', code: 'const cp = require("child_process");\nconst n = await import("node:net");\nimport fs = require("fs");\n', errors: [
        { message: m('child_process', 'child_process'), line: 1, column: 20 },
        { message: m('node:net', 'net'), line: 2, column: 24 },
        { message: m('fs', 'fs'), line: 3, column: 21 },
      ] },
      { name: 'non-literal require and import()', code: 'const name = "child_process";\nrequire(name);\nawait import(`${name}`);\n', errors: [
        { message: 'require(...) with a computed specifier cannot be checked; use a string literal', line: 2, column: 9 },
        { message: 'import()(...) with a computed specifier cannot be checked; use a string literal', line: 3, column: 14 },
      ] },
    ],
  });
});
