import { formatFindingsJson } from './findings-json.js';
import { formatFindingsText } from './findings-text.js';
import type { Reporter } from './reporter.js';
import { formatSarif } from './sarif.js';

export type { Reporter, ReporterOptions } from './reporter.js';

/** The scan reporters by format name (`scan --format`): one signature, one map. */
export const REPORTERS = {
  text: formatFindingsText,
  json: formatFindingsJson,
  sarif: formatSarif,
} satisfies Record<string, Reporter>;

/** A format `scan --format` accepts. */
export type ReportFormat = keyof typeof REPORTERS;
