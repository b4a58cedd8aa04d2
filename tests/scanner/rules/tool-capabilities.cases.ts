// The valid/invalid tables of the tool-capabilities rule: run by tool-capabilities.test.ts, counted by tests/scanner/meta.test.ts.
import type { RuleTable } from '../rule-tester.js';

const file = 'staged/t/index.ts';
const spec = (permissions: string[]) => ({ 'staged/t/spec.json': JSON.stringify({ tool_name: 't', permissions }) });
const m = (what: string, permission: string) => `${what} needs the \`${permission}\` permission, which the spec does not grant`;

export const tables: RuleTable[] = [
  { rule: { kind: 'tool-capabilities' },
    valid: [
      { name: 'pure code', file, files: spec([]), code: 'export default (i: { a: number }) => ({ b: i.a * 2 });\n' },
      { name: 'granted permissions', file, files: spec(['net', 'fs:write', 'fs:read', 'env']), code: 'import { writeFile, readFile } from "node:fs/promises";\nexport default async () => { await fetch("http://x"); await writeFile("a", await readFile("b")); return { h: process.env.HOME }; };\n' },
      { name: 'a writeFile of its own (no fs import)', file, files: spec([]), code: 'function writeFile(x: string) { return x; }\nexport default () => ({ v: writeFile("a") });\n' },
      { name: 'import type of a network module', file, files: spec([]), code: 'import type { Server } from "node:net";\nexport default () => ({});\n' },
      { name: 'a declaration file loads nothing', file: 'staged/t/types.d.ts', files: spec([]), code: 'import { type ChildProcess } from "node:child_process";\nexport type R = ReturnType<typeof import("vm").runInThisContext>;\n' },
    ],
    invalid: [
      { name: 'fetch and process.env without permissions', file, files: spec([]), code: 'export default async () => {\n  const r = await fetch("http://x");\n  return { k: process.env.KEY };\n};\n', errors: [
        { message: m('`fetch`', 'net'), line: 2, column: 19 },
        { message: m('`process.env`', 'env'), line: 3, column: 15 },
      ] },
      { name: 'fs writes and reads', file, files: spec(['fs:read']), code: 'import fs from "node:fs";\nexport default () => { fs.writeFileSync("x", fs.readFileSync("y")); return {}; };\n', errors: [
        { message: m('`writeFileSync`', 'fs:write'), line: 2, column: 24 },
      ] },
      { name: 'network modules', file, files: spec([]), code: 'import http from "node:http";\nconst ws = require("ws");\nexport default () => ({});\n', errors: [
        { message: m('import of `node:http`', 'net'), line: 1, column: 18 },
        { message: m('import of `ws`', 'net'), line: 2, column: 20 },
      ] },
      { name: 'processes and workers are never granted', file, files: spec(['net', 'fs:write', 'fs:read', 'env']), code: 'import { spawn } from "node:child_process";\nconst w = await import("worker_threads");\nexport default () => ({});\n', errors: [
        { message: 'import of `node:child_process`: tools may not start processes or workers (no permission grants it)', line: 1, column: 23 },
        { message: 'import of `worker_threads`: tools may not start processes or workers (no permission grants it)', line: 2, column: 24 },
      ] },
      { name: 'computed specifiers load anything: an error whatever the permissions', file, files: spec(['net', 'fs:write', 'fs:read', 'env']), code: 'const cp = require("child" + "_process");\nexport default async (i: { m: string }) => ({ m: await import(i.m) });\n', errors: [
        { message: 'require(...) with a computed specifier: a tool must load modules by a string literal, so what it loads can be checked', line: 1, column: 12 },
        { message: 'import(...) with a computed specifier: a tool must load modules by a string literal, so what it loads can be checked', line: 2, column: 56 },
      ] },
      { name: 'require handed on, and the forms of require', file, files: spec([]), code: 'const load = require;\nconst a = (0, require)("child_process");\nconst b = process.getBuiltinModule("node:http");\nexport default () => ({});\n', errors: [
        { message: '`require` used as a value: a tool must load modules by a string literal, so what it loads can be checked', line: 1, column: 14 },
        { message: 'import of `child_process`: tools may not start processes or workers (no permission grants it)', line: 2, column: 24 },
        { message: m('import of `node:http`', 'net'), line: 3, column: 36 },
      ] },
      { name: 'vm and module: code evaluation and loaders', file, files: spec(['net', 'fs:write', 'fs:read', 'env']), code: 'import vm from "node:vm";\nimport { createRequire } from "module";\nexport default () => ({});\n', errors: [
        { message: 'import of `node:vm`: tools may not evaluate code or build module loaders at run time (no permission grants it)', line: 1, column: 16 },
        { message: 'import of `module`: tools may not evaluate code or build module loaders at run time (no permission grants it)', line: 2, column: 31 },
      ] },
      { name: 'no spec.json: nothing granted', file, code: 'export default () => ({ e: process["env"] });\n', errors: [{ message: m('`process.env`', 'env'), line: 1, column: 28 }] },
    ],
  },
];
