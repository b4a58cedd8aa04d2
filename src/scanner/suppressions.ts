import type { Finding } from './types.js';

const MARKER = 'toolsmith-disable-next-line';
// `// toolsmith-disable-next-line rule-a, rule-b -- why` (or the same inside /* */), on its own line.
const LINE = /^\s*(?:\/\/|\/\*)\s*toolsmith-disable-next-line\b(.*?)(?:\*\/\s*)?$/;

export interface Suppression {
  /** 1-based line of the comment; it covers findings on the next line. */
  line: number;
  column: number;
  rules: string[];
  reason: string;
  text: string;
}

/** The suppression comments of a file (a cheap indexOf first: most files have none). */
export function parseSuppressions(text: string): Suppression[] {
  if (!text.includes(MARKER)) return [];
  const found: Suppression[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((lineText, i) => {
    const m = LINE.exec(lineText);
    if (!m) return;
    const body = (m[1] ?? '').trim();
    const dash = body.indexOf('--');
    const names = (dash < 0 ? body : body.slice(0, dash)).split(',').map((s) => s.trim()).filter(Boolean);
    const reason = dash < 0 ? '' : body.slice(dash + 2).trim();
    found.push({ line: i + 1, column: lineText.indexOf(MARKER) + 1, rules: names, reason, text: lineText.trim() });
  });
  return found;
}

export interface SuppressionOutcome {
  kept: Finding[];
  /** invalid-suppression and unused-suppression findings. */
  problems: Finding[];
}

/**
 * Drops findings covered by a valid suppression on the line above; reports suppressions that
 * lack a rule or a reason (they suppress nothing) and ones that matched no finding.
 */
export function applySuppressions(file: string, findings: Finding[], suppressions: Suppression[]): SuppressionOutcome {
  if (suppressions.length === 0) return { kept: findings, problems: [] };
  const problems: Finding[] = [];
  const at = (s: Suppression, rule: string, severity: Finding['severity'], message: string): Finding => ({
    rule, kind: rule, severity, message, file, line: s.line, column: s.column, end_line: s.line, end_column: s.column + MARKER.length, excerpt: s.text.slice(0, 200), snippet: MARKER,
  });
  const valid = suppressions.filter((s) => {
    if (s.rules.length > 0 && s.reason.length > 0) return true;
    problems.push(at(s, 'invalid-suppression', 'error', s.rules.length === 0
      ? 'suppression names no rule: write `toolsmith-disable-next-line <rule> -- <reason>`'
      : 'suppression has no reason: add `-- <why this is safe>`'));
    return false;
  });
  const used = new Set<Suppression>();
  const kept = findings.filter((f) => {
    const s = valid.find((v) => v.line + 1 === f.line && (v.rules.includes(f.rule) || v.rules.includes(f.kind)));
    if (!s) return true;
    used.add(s);
    return false;
  });
  for (const s of valid) {
    if (!used.has(s)) problems.push(at(s, 'unused-suppression', 'warning', `suppression of ${s.rules.join(', ')} matched no finding on the next line; remove it`));
  }
  return { kept, problems };
}
