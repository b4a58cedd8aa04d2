import { describe, expect, it } from 'vitest';
import { createLogCollector } from '../../src/sandbox/create-log-collector.js';

describe('createLogCollector', () => {
  it('joins chunks into lines per stream, keeping unterminated ones', () => {
    const logs = createLogCollector(1_000);
    logs.push('hel', 'stdout');
    logs.push('oops\n', 'stderr');
    logs.push('lo\nwor', 'stdout');
    logs.push('ld', 'stdout');
    expect(logs.finish()).toEqual(['oops', 'hello', 'world']);
  });

  it('replaces everything past the byte budget with one marker line', () => {
    const logs = createLogCollector(10);
    logs.push('12345\n67890\nabc\n', 'stdout');
    logs.push('more\n', 'stderr');
    expect(logs.finish()).toEqual(['12345', '[toolsmith] logs truncated: the tool wrote more than 10 bytes of output']);
  });

  it('caps a line that never ends', () => {
    const logs = createLogCollector(10);
    logs.push('x'.repeat(50), 'stdout');
    logs.push('y'.repeat(50), 'stdout');
    expect(logs.finish()).toEqual(['[toolsmith] logs truncated: the tool wrote more than 10 bytes of output']);
  });

  it('keeps the tail of stderr even past the budget', () => {
    const logs = createLogCollector(5);
    logs.push('a long first line\n', 'stderr');
    logs.push('FATAL ERROR: Reached heap limit\n', 'stderr');
    expect(logs.stderrTail()).toMatch(/Reached heap limit\n$/);
  });
});
