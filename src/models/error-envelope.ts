import { z } from 'zod';

export const ErrorType = z.enum([
  'ValidationError',
  'ExecutionError',
  'TimeoutError',
  'PermissionError',
  'IntegrityError',
  'NotFoundError',
  'ToolError',
  'InternalError',
]);
export type ErrorType = z.infer<typeof ErrorType>;

export const ErrorEnvelope = z.strictObject({
  error: z.strictObject({
    type: ErrorType,
    message: z.string(),
    details: z.record(z.string(), z.unknown()),
    tool: z.string().nullable(),
    timestamp: z.string(),
  }),
  _internal: z.strictObject({ traceback: z.string() }),
});
export type ErrorEnvelope = z.infer<typeof ErrorEnvelope>;

export { createErrorEnvelope } from './create-error-envelope.js';
