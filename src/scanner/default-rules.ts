import type { ScanRuleConfig } from '../models/config.js';

/** Where tool packages live: staged candidates and promoted versions (their compiled build/ is skipped). */
export const TOOL_PACKAGE_FILES = ['staged/*/**', 'registry/tools/*/*/**'];
const TOOL_EXCEPT = ['**/build/**', '**/node_modules/**'];

/**
 * The built-in rule set for tool packages (`scan.tool_rules`, on by default): a default-exported
 * function, no module-level mutable state, capabilities granted by the spec, no eval.
 * `files` can be replaced (the bench applies the set to a whole corpus).
 */
export function createToolRules(files: readonly string[] = TOOL_PACKAGE_FILES): ScanRuleConfig[] {
  const entryFiles = files === TOOL_PACKAGE_FILES ? ['staged/*/index.ts', 'staged/*/samples/*.ts', 'registry/tools/*/*/index.ts'] : [...files];
  return [
    { kind: 'tool-default-export', id: 'tool-default-export', files: entryFiles, except: TOOL_EXCEPT },
    { kind: 'tool-no-module-state', id: 'tool-no-module-state', files: [...files], except: TOOL_EXCEPT },
    { kind: 'tool-capabilities', id: 'tool-capabilities', files: [...files], except: TOOL_EXCEPT },
    { kind: 'forbidden-call', id: 'tool-no-eval', files: [...files], except: TOOL_EXCEPT, options: { names: ['eval', 'Function'] } },
  ];
}
