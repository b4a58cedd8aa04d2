import type { ScanConfig, ScanRuleConfig } from '../models/config.js';
import type { z } from 'zod';
import { formatZodIssues } from '../models/format-issues.js';
import { UserError } from '../models/errors.js';
import { createToolRules } from './default-rules.js';
import { createGlobMatcher } from './glob.js';
import { RULES } from './registry.js';
import type { ActiveRule } from './types.js';

/** Never scanned: dependencies, VCS data, build output. */
export const DEFAULT_IGNORE = ['**/node_modules/**', '**/.git/**', 'dist/**', 'coverage/**', 'registry/tools/*/*/build/**'];

export interface ParsedScanConfig {
  rules: ActiveRule[];
  ignore: string[];
}

/**
 * Turns the (already key-validated) `scan` section into runnable rules: each rule's `options`
 * checked by its kind's own zod schema, ids unique.
 * @throws UserError with one line per problem, each naming its key (`scan.rules.2.options.names`)
 */
export function parseScanConfig(scan: ScanConfig, source: string): ParsedScanConfig {
  const problems: string[] = [];
  const entries: Array<{ config: ScanRuleConfig; at: string }> = scan.rules.map((config, i) => ({ config, at: `scan.rules.${i}` }));
  if (scan.tool_rules) entries.push(...createToolRules().map((config) => ({ config, at: `scan.tool_rules (${config.id ?? config.kind})` })));
  const seen = new Map<string, string>();
  const rules: ActiveRule[] = [];
  for (const { config, at } of entries) {
    const id = config.id ?? config.kind;
    const earlier = seen.get(id);
    if (earlier) problems.push(`${at}.id: "${id}" is already used by ${earlier}; give each rule its own id`);
    seen.set(id, at);
    const module = RULES[config.kind];
    if (!module) {
      problems.push(`${at}.kind: unknown rule kind "${config.kind}"`);
      continue;
    }
    if (config.severity === 'off') {
      // Still checked: a typo in a rule switched off is an error all the same.
      const checked = module.activate(config.options ?? {}, { id, severity: 'error', appliesTo: () => false });
      if (!checked.ok) problems.push(optionProblems(at, checked.issues));
      continue;
    }
    const included = config.files ? createGlobMatcher(config.files) : () => true;
    const excluded = createGlobMatcher([...(config.except ?? []), ...(config.allow_in ?? [])]);
    const activated = module.activate(config.options ?? {}, {
      id,
      severity: config.severity ?? module.defaultSeverity,
      ...(config.message ? { message: config.message } : {}),
      appliesTo: (file) => included(file) && !excluded(file),
    });
    if (activated.ok) rules.push(activated.rule);
    else problems.push(optionProblems(at, activated.issues));
  }
  if (problems.length > 0) throw new UserError(`${source}: ${problems.join('; ')}`, 'see the README section "Scanner" for the rule keys and docs/rules/ for each kind\'s options');
  return { rules, ignore: [...DEFAULT_IGNORE, ...scan.ignore] };
}

/** A rule's option problems, each naming its key (`scan.rules.2.options.names`). */
function optionProblems(at: string, issues: z.core.$ZodIssue[]): string {
  return formatZodIssues(issues.map((issue) => ({ ...issue, path: [...at.split('.'), 'options', ...issue.path] })));
}
