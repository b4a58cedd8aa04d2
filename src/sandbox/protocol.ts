/**
 * The wire protocol between the parent (run-in-sandbox) and the child (harness).
 *
 * stdin  (parent -> child): one JSON HarnessRequest, then EOF.
 * fd 3   (child -> parent): READY_BYTE as soon as the harness starts (proves the launcher
 *        chain exec'd node), then `<nonce><HarnessReply JSON><nonce>`. The tool can write to
 *        an inherited fd (the permission model does not guard fds), but it never sees the
 *        nonce, so it cannot forge a reply.
 * fd 1/2 are the tool's own stdout/stderr: logs, never the result.
 *
 * The harness may only `import type` from here: under the permission model it can read
 * no file but itself, so it mirrors the constants below, typed with `typeof` so a drift
 * fails the type check.
 */

export interface HarnessRequest {
  nonce: string;
  /** file: URL of the tool's entry module. */
  entryUrl: string;
  input: unknown;
  /** The harness refuses results larger than this before writing them. */
  maxOutputBytes: number;
  /** False without 'net': the harness then refuses Unix domain sockets, which no network namespace covers. */
  allowNetwork: boolean;
}

export interface HarnessError {
  name: string;
  message: string;
  stack?: string;
  code?: string;
  /** Set by Node's permission model on ERR_ACCESS_DENIED, e.g. 'FileSystemRead'. */
  permission?: string;
  /** Set by Node's permission model on ERR_ACCESS_DENIED: the refused path. */
  resource?: string;
}

export type HarnessReply =
  | { ok: true; value: unknown }
  | { ok: false; kind: 'execution' | 'bad-result' | 'output-limit'; error: HarnessError };

export const RESULT_FD = 3;
export const READY_BYTE = 'R';
