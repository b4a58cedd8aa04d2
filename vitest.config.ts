import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';
import { GROUPED_FILES, GROUPING } from './tests/test-groups.js';

/**
 * Test files run in forked workers. Most of a test's time is spent waiting on the processes
 * it starts (the CLI, the sandbox), so more workers than cores keeps the cores busy: vitest's
 * default (cores - 1) is one worker on a 2-core machine. TOOLSMITH_TEST_WORKERS overrides it.
 */
const workers = Number(process.env['TOOLSMITH_TEST_WORKERS'] ?? 3);

export default defineConfig({
  resolve: {
    // src/ast/typescript.cts (`import ts = require('typescript')`: a much faster load than an
    // ES import of typescript) is CommonJS that vite's transform cannot read; tests of src/
    // get the same require() from tests/typescript-require.ts.
    alias: [{ find: /^\.\/typescript\.cjs$/, replacement: fileURLToPath(new URL('tests/typescript-require.ts', import.meta.url)) }],
  },
  test: {
    include: ['tests/**/*.test.ts'],
    // Grouped files run inside tests/groups/*.test.ts (tests/test-groups.ts says why), unless
    // TOOLSMITH_TEST_GROUPS=0 runs each on its own.
    exclude: [...configDefaults.exclude, ...(GROUPING ? GROUPED_FILES : ['tests/groups/**'])],
    globalSetup: ['tests/global-setup.ts'],
    setupFiles: ['tests/setup-yield.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: workers,
    minWorkers: 1,
    server: {
      deps: {
        // The built core (dist/, loaded by tests that call it in-process) runs as Node loads it,
        // as the binary does, not through vite's transform.
        external: [/\/dist\//],
      },
    },
  },
});
