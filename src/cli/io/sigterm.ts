/**
 * SIGTERM ends a command like Ctrl-C (exit 130, see main.ts), except while a command that
 * stops cleanly on it has taken it over: a server asked to stop by its supervisor closes and
 * exits 0.
 */
let handler: (() => void) | null = null;

/** Routes SIGTERM to `stop` until the returned release function is called. */
export function takeOverSigterm(stop: () => void): () => void {
  handler = stop;
  return () => {
    if (handler === stop) handler = null;
  };
}

/** The command's own SIGTERM handler, when one has taken it over. */
export function sigtermTakenOver(): (() => void) | null {
  return handler;
}
