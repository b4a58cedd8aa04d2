/**
 * Test files that run together in one vitest file (tests/groups/<name>.test.ts), one forked
 * worker for the group instead of one per file. Each file's own start-up (a fork, vitest's
 * runtime, the src/ modules it imports) cost about 0.4 s of CPU, more than most of these
 * files' tests; on a 2-core machine that was a tenth of `npm test` (issue 9).
 *
 * A grouped file shares its process and its module instances with the rest of its group, so
 * it must leave the process as it found it: no chdir, no environment writes, no module mocks,
 * no fake timers (tests/repo/test-groups.test.ts checks). Files that spawn the binary for long,
 * watch the process table or change the environment stay on their own.
 *
 * Run one grouped file alone with `TOOLSMITH_TEST_GROUPS=0 npx vitest run <file>`.
 */
export const TEST_GROUPS: Record<string, readonly string[]> = {
  'core-a': [
    'tests/ast/code-tokens.test.ts',
    'tests/ast/dataflow.test.ts',
    'tests/ast/syntax-tree.test.ts',
    'tests/ast/typecheck.test.ts',
    'tests/json-schema/schema-types.test.ts',
    'tests/json-schema/validators.test.ts',
    'tests/metrics/code-bleu.test.ts',
    'tests/metrics/dataflow-match.test.ts',
    'tests/metrics/ngram-match.test.ts',
    'tests/metrics/pass-at-k.test.ts',
    'tests/metrics/syntax-match.test.ts',
    'tests/metrics/weighted-ngram-match.test.ts',
    'tests/models/json-schemas.test.ts',
    'tests/pipeline/schema-compatibility.test.ts',
    'tests/repo/architecture.test.ts',
    'tests/repo/assertion-comment.test.ts',
    'tests/repo/self-contained.test.ts',
    'tests/repo/test-groups.test.ts',
    'tests/reporters/findings-reporters.test.ts',
    'tests/reporters/sarif.test.ts',
    'tests/serve/call-limiter.test.ts',
    'tests/serve/describe-tool.test.ts',
    'tests/serve/http-guards.test.ts',
    'tests/stores/allowed-signers.test.ts',
    'tests/stores/apply-run-to-metrics.test.ts',
    'tests/stores/audit-log.test.ts',
    'tests/stores/file-snapshot.test.ts',
    'tests/stores/identity.test.ts',
    'tests/stores/non-regular-files.test.ts',
    'tests/workspace/find-workspace.test.ts',
  ],
  'core-b': [
    'tests/cli/error-hints.test.ts',
    'tests/cli/escape.test.ts',
    'tests/cli/help.test.ts',
    'tests/cli/report-error.test.ts',
    'tests/generate/extract-code.test.ts',
    'tests/generate/render-template.test.ts',
    'tests/generate/template-backend.test.ts',
    'tests/scanner/eslint-oracle.test.ts',
    'tests/scanner/glob.test.ts',
    'tests/scanner/meta.test.ts',
    'tests/scanner/parse-scan-config.test.ts',
    'tests/scanner/rules/forbidden-call.test.ts',
    'tests/scanner/rules/forbidden-import.test.ts',
    'tests/scanner/rules/import-boundary.test.ts',
    'tests/scanner/rules/internal-error.test.ts',
    'tests/scanner/rules/invalid-suppression.test.ts',
    'tests/scanner/rules/method-signature.test.ts',
    'tests/scanner/rules/parse-error.test.ts',
    'tests/scanner/rules/required-finally-call.test.ts',
    'tests/scanner/rules/skipped-file.test.ts',
    'tests/scanner/rules/tool-capabilities.test.ts',
    'tests/scanner/rules/tool-default-export.test.ts',
    'tests/scanner/rules/tool-no-module-state.test.ts',
    'tests/scanner/rules/unused-suppression.test.ts',
  ],
  'core-c': [
    'tests/cli/spec-wizard.test.ts',
    'tests/lifecycle/check-cache.test.ts',
    'tests/lifecycle/concurrent-review.test.ts',
    'tests/lifecycle/open-candidate-fifo.test.ts',
    'tests/lifecycle/plan-actor.test.ts',
    'tests/lifecycle/plan-transition.test.ts',
    'tests/lifecycle/run-tool.test.ts',
    'tests/lifecycle/scan-workspace.test.ts',
    'tests/lifecycle/signer-keys.test.ts',
    'tests/runner/bundle-resolver.test.ts',
    'tests/runner/verified-files.test.ts',
    'tests/sandbox/create-log-collector.test.ts',
    'tests/sandbox/sandbox-parts.test.ts',
    'tests/validate/compute-code-metrics.test.ts',
    'tests/validate/scan-gate-coverage.test.ts',
    'tests/validate/tool-schemas.test.ts',
    'tests/validate/validate-steps.test.ts',
  ],
};

/** Every grouped file, relative to the repository's root. */
export const GROUPED_FILES: readonly string[] = Object.values(TEST_GROUPS).flat();

/** False when TOOLSMITH_TEST_GROUPS=0: every file runs on its own, and the group files do not run. */
export const GROUPING = process.env['TOOLSMITH_TEST_GROUPS'] !== '0';
