import { z } from 'zod';
import { ErrorType } from './error-envelope.js';

export const TestCase = z.union([
  z.strictObject({
    name: z.string().min(1),
    input: z.record(z.string(), z.unknown()),
    expected: z.record(z.string(), z.unknown()),
  }),
  z.strictObject({
    name: z.string().min(1),
    input: z.record(z.string(), z.unknown()),
    expect_error: ErrorType,
  }),
]);
export type TestCase = z.infer<typeof TestCase>;

export const TestCases = z.array(TestCase).min(1, { message: 'tests.json needs at least one test case' });
