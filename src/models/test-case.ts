import { z } from 'zod';
import { ErrorType } from './error-envelope.js';

/**
 * Where a test case came from, when a generator wrote it (absent: written by a person). A
 * reviewer must judge tests a model wrote for its own code: `show` marks them.
 */
export const TestProvenance = z.strictObject({
  /** The generator identity, as a candidate's created_by (`llm:<model>#<sha256>`, `command:<sha256>`). */
  generated_by: z.string().min(1),
});
export type TestProvenance = z.infer<typeof TestProvenance>;

export const TestCase = z.union([
  z.strictObject({
    name: z.string().min(1),
    input: z.record(z.string(), z.unknown()),
    expected: z.record(z.string(), z.unknown()),
    provenance: TestProvenance.optional(),
  }),
  z.strictObject({
    name: z.string().min(1),
    input: z.record(z.string(), z.unknown()),
    expect_error: ErrorType,
    provenance: TestProvenance.optional(),
  }),
]);
export type TestCase = z.infer<typeof TestCase>;

export const TestCases = z.array(TestCase).min(1, { message: 'tests.json needs at least one test case' });
