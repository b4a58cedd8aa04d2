/** Collects a child's stdout and stderr as lines, within a byte budget, plus a tail of stderr for diagnosis. */
export interface LogCollector {
  push(text: string, stream: 'stdout' | 'stderr'): void;
  /** Flushes unterminated lines and returns every kept line. */
  finish(): string[];
  /** The last few KB of stderr, kept even past the budget (heap and crash messages come last). */
  stderrTail(): string;
}

const TAIL_CHARS = 4_096;

/** Creates a collector keeping at most `maxBytes` of log text; the rest is replaced by one marker line. */
export function createLogCollector(maxBytes: number): LogCollector {
  const lines: string[] = [];
  const partial = { stdout: '', stderr: '' };
  let used = 0;
  let truncated = false;
  let tail = '';

  const keep = (line: string): void => {
    if (truncated) return;
    const size = Buffer.byteLength(line, 'utf8') + 1;
    if (used + size > maxBytes) {
      truncated = true;
      lines.push(`[toolsmith] logs truncated: the tool wrote more than ${maxBytes} bytes of output`);
      return;
    }
    used += size;
    lines.push(line);
  };

  return {
    push(text, stream) {
      if (stream === 'stderr') tail = (tail + text).slice(-TAIL_CHARS);
      if (truncated) return;
      const pieces = (partial[stream] + text).split('\n');
      partial[stream] = pieces.pop() ?? '';
      for (const line of pieces) keep(line);
      // A line that never ends must not grow without bound.
      if (partial[stream].length > maxBytes) {
        keep(partial[stream]);
        partial[stream] = '';
      }
    },
    finish() {
      for (const stream of ['stdout', 'stderr'] as const) {
        if (partial[stream] !== '') keep(partial[stream]);
        partial[stream] = '';
      }
      return lines;
    },
    stderrTail: () => tail,
  };
}
