export { parseScanConfig, DEFAULT_IGNORE, type ParsedScanConfig } from './parse-scan-config.js';
export { scanProject, scanFileList, type ScanOptions } from './scan-project.js';
export { collectFiles, SOURCE_EXTENSIONS } from './collect-files.js';
export { createToolRules, TOOL_PACKAGE_FILES } from './default-rules.js';
export { RULES, ENGINE_RULES, registerRule } from './registry.js';
export type { Finding, ScanResult, Severity, RuleModule, ActiveRule } from './types.js';
