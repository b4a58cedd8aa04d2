import { afterAll, afterEach } from 'vitest';
import { removeTempDirs } from './helpers.js';

// Many end-to-end tests drive the binary with spawnSync, which blocks the worker's event
// loop. Vitest's worker talks to the main process over RPC with a fixed 60 s timeout; a run
// of synchronous tests longer than that (a loaded CI machine) never lets the worker read
// the replies, and vitest reports "Timeout calling onTaskUpdate" although every test passed.
// One macrotask turn after each test lets the replies in.
afterEach(async () => {
  await new Promise<void>((resolve) => setImmediate(resolve));
});

// Every folder made with tempDir() (tests/helpers.ts) goes when its test file ends.
afterAll(() => {
  removeTempDirs();
});
