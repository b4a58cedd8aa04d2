// Zod-free on purpose: `list` (a hot path) names gates too.

/** The five gates of a ValidationReport (SPEC 7), in the order they are reported. */
export const GATES = ['schema_ok', 'typecheck_ok', 'tests_ok', 'sandbox_ok', 'scan_ok'] as const;
