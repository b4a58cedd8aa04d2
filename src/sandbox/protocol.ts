/**
 * The wire protocol between the parent (run-in-sandbox) and the child (harness).
 *
 * stdin  (parent -> child): one JSON HarnessRequest, then EOF; a warm worker (`harness.mjs warm`)
 *        reads one HarnessRequest per line instead, each with its own nonce, the next only
 *        after the previous reply, until EOF.
 * fd 3   (child -> parent): READY_BYTE as soon as the harness starts (proves the launcher
 *        chain exec'd node), then `<nonce><HarnessReply JSON><nonce>`. The tool can write to
 *        an inherited fd (the permission model does not guard fds), but it never sees the
 *        nonce (heap snapshots are denied to it), so it cannot forge a reply; the parent still treats the reply as hostile
 *        (size- and depth-capped before parsing, see parse-reply.ts).
 * fd 1/2 are the tool's own stdout/stderr: logs, never the result.
 *
 * The harness may only `import type` from here: it runs alone, so it mirrors the
 * constants below, typed with `typeof` so a drift fails the type check.
 */

export interface HarnessRequest {
  nonce: string;
  /** file: URL of the tool's entry module (inside the sandbox's file system). */
  entryUrl: string;
  input: unknown;
  /** The harness refuses results larger than this before writing them. */
  maxOutputBytes: number;
  /** False without 'net': the harness then refuses Unix domain sockets (the OS layer refuses them too). */
  allowNetwork: boolean;
  /**
   * True when the tool lacks 'net' and runs without a network namespace (isolation "node"
   * where `unshare --net` is refused, e.g. as an ordinary user): the harness then refuses
   * every socket, DNS lookup and UDP send in JavaScript, the only layer left there.
   */
  refuseNetwork: boolean;
  /** With 'fs:write': the output folder whose regular files go back in the reply, else null. */
  outputDir: string | null;
  /** Names at the top of the output folder that are not output (the fixtures mount). */
  outputSkip: string[];
  /** Caps on the returned files: total bytes and count. */
  maxFileBytes: number;
  maxFiles: number;
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

/** One output file as the harness sends it. */
export interface HarnessFile {
  path: string;
  base64: string;
}

/** A warm worker's reply also carries the CPU time its process has used so far (`cpu_ms`), so the parent can retire it before RLIMIT_CPU would. */
export type HarnessReply =
  | { ok: true; value: unknown; files?: HarnessFile[]; cpu_ms?: number }
  | { ok: false; kind: 'execution' | 'bad-result' | 'output-limit'; error: HarnessError; cpu_ms?: number };

export const RESULT_FD = 3;
export const READY_BYTE = 'R';
