import type { ScanResult } from '../models/scan-result.js';

/** Colour functions (identity when colour is off); the CLI passes its Paint. */
export interface TextPaint {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
}

/** What every scan reporter is given; each reads the fields its format needs. */
export interface ReporterOptions {
  /** Whether the scan passes (no errors, warnings within --max-warnings). */
  passed: boolean;
  maxWarnings?: number | undefined;
  /** Colour for the text format (default: none). */
  paint?: TextPaint;
  /**
   * Makes untrusted text (file names, messages quoting scanned code) safe for a terminal; the
   * text format applies it, json and sarif stay exact. The CLI passes cli/io's escape (default: none).
   */
  escape?: (text: string) => string;
  /** toolsmith's version, for SARIF's driver. */
  toolVersion: string;
  /** file:// URL of the scan root, ending in `/` (SARIF's %SRCROOT%). */
  rootUri: string;
}

/** A scan reporter (STYLE habit 6): pure (result, options) -> string. */
export type Reporter = (result: ScanResult, options: ReporterOptions) => string;
