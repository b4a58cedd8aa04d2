import { pathToFileURL } from 'node:url';
import { scanWorkspace } from '../../lifecycle/scan-workspace.js';
import { UserError } from '../../models/errors.js';
import { EXIT } from '../../models/exit-codes.js';
import { REPORTERS, type ReportFormat } from '../../reporters/index.js';
import { createIo } from '../io/output.js';
import { escapeTerminal } from '../io/escape.js';
import { prepareOutputFile, writeOutput } from '../io/output-file.js';
import type { Handler } from '../program.js';
import { VERSION } from '../version.js';

const isReportFormat = (value: unknown): value is ReportFormat => typeof value === 'string' && Object.hasOwn(REPORTERS, value);

function parseFormat(value: unknown, json: boolean | undefined): ReportFormat {
  if (value === undefined) return json ? 'json' : 'text';
  if (!isReportFormat(value)) throw new UserError(`--format must be one of ${Object.keys(REPORTERS).join(', ')}, not "${String(value)}"`, 'e.g. `toolsmith scan --format sarif --output scan.sarif`');
  const found = value;
  // --json promises one JSON document on stdout: the json or sarif report, never text.
  if (json && found === 'text') throw new UserError('--json cannot be combined with --format text', 'drop one: --json (or --format json) prints the JSON report, --format sarif the SARIF one');
  return found;
}

function parseMaxWarnings(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UserError(`--max-warnings must be a whole number >= 0, not "${String(value)}"`, 'e.g. `--max-warnings 0`');
  return n;
}

/** `toolsmith scan [paths...]`: the mechanical scanner (SPEC 9); exit 1 on any error finding. */
const scan: Handler = async (args, flags) => {
  const format = parseFormat(flags['format'], flags.json);
  const maxWarnings = parseMaxWarnings(flags['maxWarnings']);
  const io = await createIo({ ...flags, ...(format === 'text' ? {} : { color: false }) });
  const output = flags['output'];
  // Checked (and its folder made) before the scan, as validate --junit does.
  const outputFile = typeof output === 'string' && output !== '-' ? await prepareOutputFile('--output', output, io.cwd) : undefined;
  const configFile = typeof flags['config'] === 'string' ? flags['config'] : undefined;
  const paths = (Array.isArray(args[0]) ? args[0] : []).map(String);
  const { result, passed, root } = await scanWorkspace({ cwd: io.cwd, workspace: flags.workspace, configFile, paths, maxWarnings });
  const report = REPORTERS[format](result, {
    passed,
    maxWarnings,
    paint: io.paint,
    escape: (text) => escapeTerminal(text),
    toolVersion: VERSION,
    rootUri: `${pathToFileURL(root).href.replace(/\/?$/, '/')}`,
  });
  if (outputFile !== undefined) {
    await writeOutput(outputFile, report);
    const summary = { ok: passed, output: String(output), format, files_scanned: result.files_scanned, error_count: result.error_count, warning_count: result.warning_count };
    // With --json, stdout still carries one document: where the report went and its counts.
    if (flags.json) io.out(JSON.stringify(summary, null, 2));
    else if (!flags.quiet) io.err(`wrote the ${format} report to ${String(output)}: ${result.error_count} error(s), ${result.warning_count} warning(s) in ${result.files_scanned} file(s)`);
  } else io.out(report);
  return passed ? EXIT.OK : EXIT.NEGATIVE;
};
export default scan;
