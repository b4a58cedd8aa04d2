// Types of bench/eslint-oracle.mjs for the TypeScript test that uses it (tests/scanner/eslint-oracle.test.ts).
import type { ScanConfig, ScanRuleConfig } from '../src/models/config.js';
import type { ScanResult } from '../src/models/scan-result.js';
import type { ActiveRule } from '../src/scanner/types.js';

export interface CorpusFile {
  absolute: string;
  relative: string;
}

export interface OracleFinding {
  file: string;
  line: number;
  column: number;
  rule: string;
  message?: string;
  category?: string;
}

export interface ToolsmithSide {
  unparsed: Set<string>;
  findings: OracleFinding[];
}

export interface Comparison {
  files: number;
  parse: { both: number; eslintOnly: string[]; toolsmithOnly: string[]; neither: string[] };
  both: OracleFinding[];
  eslintOnly: Array<OracleFinding & { category: string }>;
  toolsmithOnly: Array<OracleFinding & { category: string }>;
  impliedEval: OracleFinding[];
  agreement: number;
  lineAgreement: number;
  explainedAgreement: number;
  unexplained: OracleFinding[];
}

/** The scanner's public entry points (src/scanner/index.ts, or the built dist/). */
export interface ScannerEntryPoints {
  parseScanConfig(scan: ScanConfig, source: string): { rules: ActiveRule[] };
  scanFileList(root: string, files: readonly CorpusFile[], rules: readonly ActiveRule[]): ScanResult;
}

export const ORACLE_MODULES: string[];
export const TOOLSMITH_RULES: ScanRuleConfig[];
export function createEslintOracle(root: string): Promise<(file: CorpusFile) => { parsed: boolean; findings: OracleFinding[] }>;
export function createToolsmithSide(scanner: ScannerEntryPoints, root: string): (files: CorpusFile[]) => ToolsmithSide;
export function compareSides(files: CorpusFile[], eslint: (file: CorpusFile) => { parsed: boolean; findings: OracleFinding[] }, toolsmith: ToolsmithSide): Comparison;
export function formatComparison(comparison: Comparison): string;
