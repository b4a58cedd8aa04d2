// Zod-free: the runner builds envelopes on the hot path of `run`.
import type { ErrorEnvelope, ErrorType } from './error-envelope.js';

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
