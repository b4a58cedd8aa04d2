// The valid/invalid tables of the import-boundary rule: run by import-boundary.test.ts, counted by tests/scanner/meta.test.ts.
import type { RuleTable } from '../rule-tester.js';

const sandbox = { 'src/sandbox/index.ts': 'export const runInSandbox = 1;\n', 'src/models/a.ts': 'export const a = 1;\n' };

export const tables: RuleTable[] = [
  { rule: { kind: 'import-boundary', files: ['src/**'], allow_in: ['src/runner/**', 'src/sandbox/**'], options: { disallow: ['src/sandbox/**'] } },
    valid: [
      { name: 'the runner may import the sandbox', file: 'src/runner/run.ts', files: sandbox, code: 'import { runInSandbox } from "../sandbox/index.js";\n' },
      { name: 'other imports', file: 'src/lifecycle/x.ts', files: sandbox, code: 'import { a } from "../models/a.js";\nimport path from "node:path";\n' },
      { name: 'a string that names the sandbox', file: 'src/lifecycle/x.ts', files: sandbox, code: 'const s = "../sandbox/index.js";\n' },
      { name: 'a look-alike folder', file: 'src/lifecycle/x.ts', files: { 'src/sandboxes/a.ts': '' }, code: 'import "../sandboxes/a.js";\n' },
    ],
    invalid: [
      { name: '.js specifier resolves to the .ts file', file: 'src/lifecycle/x.ts', files: sandbox, code: 'import { runInSandbox } from "../sandbox/index.js";\n', errors: [
        { message: '`../sandbox/index.js` resolves to src/sandbox/index.ts, which this file may not import', line: 1, column: 30 },
      ] },
      { name: 'folder import, re-export, dynamic import, import type', file: 'src/cli/x.ts', files: sandbox, code: 'export * from "../sandbox";\nconst s = await import("../sandbox/index.js");\nimport type { X } from "../sandbox/types.js";\n', errors: [
        { message: '`../sandbox` resolves to src/sandbox/index.ts, which this file may not import', line: 1, column: 15 },
        { message: '`../sandbox/index.js` resolves to src/sandbox/index.ts, which this file may not import', line: 2, column: 24 },
        { message: '`../sandbox/types.js` resolves to src/sandbox/types.js, which this file may not import', line: 3, column: 24 },
      ] },
    ],
  },

  { rule: { kind: 'import-boundary', id: 'reporters-models-only', files: ['src/reporters/**'], options: { allow: ['src/reporters/**', 'src/models/**'], include_type_only: false } },
    valid: [
      { name: 'allowed rooms and packages', file: 'src/reporters/r.ts', files: sandbox, code: 'import { a } from "../models/a.js";\nimport "./other.js";\nimport chalk from "chalk";\n' },
      { name: 'type-only imports excluded by option', file: 'src/reporters/r.ts', code: 'import type { X } from "../scanner/types.js";\n' },
    ],
    invalid: [
      { name: 'outside the allow-list', file: 'src/reporters/r.ts', files: { 'src/scanner/scan.ts': '' }, code: 'import { scan } from "../scanner/scan.js";\n', errors: [
        { message: '`../scanner/scan.js` resolves to src/scanner/scan.ts, outside what this file may import', line: 1, column: 22 },
      ] },
    ],
  },
];
