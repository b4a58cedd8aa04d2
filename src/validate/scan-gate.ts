import type { ScanFinding } from '../models/index.js';
import { createToolRules, parseScanConfig, scanProject } from '../scanner/index.js';
import { NON_CODE_FOLDERS } from '../bundle/build-package.js';
import { BUILD_DIR, SOURCE_ENTRY } from '../models/package-layout.js';

export interface ScanGate {
  ok: boolean;
  findings: ScanFinding[];
  /** The error-severity findings as report lines. */
  errors: string[];
}

/**
 * Folders of a package that are not tool code: build output, and the folders the build never
 * compiles (build/build-package.ts), so that every module that runs is scanned.
 */
const NOT_CODE = [`${BUILD_DIR}/**`, ...NON_CODE_FOLDERS.map((folder) => `${folder}/**`)];
/** The files that must default-export the tool function: the implementation and its samples. */
const ENTRY_FILES = [SOURCE_ENTRY, 'samples/*.ts'];

/**
 * The fifth gate (SPEC 7): the scanner's built-in tool rules (a default-exported function,
 * no module-level mutable state, capabilities the spec grants, no eval) on every source file
 * of the package. An error-severity finding fails it.
 *
 * Suppression comments are NOT honoured here: the tool's author writes them, and a gate the
 * tool can switch off with a comment is no gate. A reviewer sees every finding in `show`.
 */
export function checkScanGate(packageDir: string): ScanGate {
  const toolRules = createToolRules(['**']).map((rule) => (rule.kind === 'tool-default-export' ? { ...rule, files: ENTRY_FILES } : rule));
  const { rules } = parseScanConfig({ rules: toolRules, tool_rules: false, ignore: [] }, 'the built-in tool rules');
  const result = scanProject({ root: packageDir, rules, ignore: NOT_CODE, honourSuppressions: false });
  const errors = result.findings.filter((f) => f.severity === 'error').map((f) => `${f.file}:${f.line}:${f.column} ${f.rule}: ${f.message}`);
  return { ok: result.error_count === 0, findings: result.findings, errors };
}
