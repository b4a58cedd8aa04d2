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

/** Builds an ErrorEnvelope; the only way envelopes are made, so their shape never drifts. */
export function createErrorEnvelope(
  type: ErrorType,
  message: string,
  options: { tool?: string | null; details?: Record<string, unknown>; traceback?: string; now?: Date } = {},
): ErrorEnvelope {
  return {
    error: {
      type,
      message,
      details: options.details ?? {},
      tool: options.tool ?? null,
      timestamp: (options.now ?? new Date()).toISOString(),
    },
    _internal: { traceback: options.traceback ?? '' },
  };
}
