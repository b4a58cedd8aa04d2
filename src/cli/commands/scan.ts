import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { UserError } from '../../models/errors.js';
import { formatFindingsJson } from '../../reporters/findings-json.js';
import { formatFindingsText } from '../../reporters/findings-text.js';
import { formatSarif } from '../../reporters/sarif.js';
import { parseScanConfig, scanProject, type ScanResult } from '../../scanner/index.js';
import { findWorkspace } from '../../workspace/find-workspace.js';
import { loadConfig } from '../../workspace/load-config.js';
import { EXIT } from '../../models/exit-codes.js';
import { createIo, type Paint } from '../io/output.js';
import { escapeTerminal } from '../io/escape.js';
import { prepareOutputFile } from '../io/output-file.js';
import type { Handler } from '../program.js';
import { VERSION } from '../version.js';

const FORMATS = ['text', 'json', 'sarif'] as const;
type Format = (typeof FORMATS)[number];

interface RenderOptions {
  passed: boolean;
  maxWarnings: number | undefined;
  paint: Paint;
  root: string;
}

/** The reporters by format name (STYLE habit 6): pure (result, options) -> string. */
const REPORTERS = {
  // File names and messages quote scanned code (untrusted): escaped for the terminal; json and sarif stay exact.
  text: (r, o) => formatFindingsText({ ...r, findings: r.findings.map((f) => ({ ...f, file: escapeTerminal(f.file), message: escapeTerminal(f.message), excerpt: escapeTerminal(f.excerpt) })) }, { passed: o.passed, maxWarnings: o.maxWarnings, paint: o.paint }),
  json: (r, o) => formatFindingsJson(r, { passed: o.passed, maxWarnings: o.maxWarnings }),
  sarif: (r, o) => formatSarif(r, { toolVersion: VERSION, rootUri: `${pathToFileURL(o.root).href.replace(/\/?$/, '/')}` }),
} satisfies Record<Format, (result: ScanResult, options: RenderOptions) => string>;

function parseFormat(value: unknown, json: boolean | undefined): Format {
  if (value === undefined) return json ? 'json' : 'text';
  const found = FORMATS.find((f) => f === value);
  if (!found) throw new UserError(`--format must be one of ${FORMATS.join(', ')}, not "${String(value)}"`, 'e.g. `toolsmith scan --format sarif --output scan.sarif`');
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
  const workspace = findWorkspace({ cwd: io.cwd, workspace: flags.workspace });
  const configOption = flags['config'];
  const configWorkspace = typeof configOption === 'string' ? { ...workspace, configFile: path.resolve(io.cwd, configOption) } : workspace;
  if (typeof configOption === 'string' && !existsSync(configWorkspace.configFile)) {
    throw new UserError(`--config ${configOption}: no such file`, 'name an existing toolsmith.config.json');
  }
  const config = await loadConfig(configWorkspace);
  const parsed = parseScanConfig(config.scan, configWorkspace.configFile);
  const paths = (Array.isArray(args[0]) ? args[0] : []).map((p) => path.resolve(io.cwd, String(p)));
  const result = scanProject({
    root: workspace.root,
    paths,
    rules: parsed.rules,
    ignore: parsed.ignore,
    configFile: path.relative(workspace.root, configWorkspace.configFile).split(path.sep).join('/'),
  });
  const passed = result.error_count === 0 && (maxWarnings === undefined || result.warning_count <= maxWarnings);
  const report = REPORTERS[format](result, { passed, maxWarnings, paint: io.paint, root: workspace.root });
  if (outputFile !== undefined) {
    await writeFile(outputFile, report.endsWith('\n') ? report : `${report}\n`);
    const summary = { ok: passed, output: String(output), format, files_scanned: result.files_scanned, error_count: result.error_count, warning_count: result.warning_count };
    // With --json, stdout still carries one document: where the report went and its counts.
    if (flags.json) io.out(JSON.stringify(summary, null, 2));
    else if (!flags.quiet) io.err(`wrote the ${format} report to ${String(output)}: ${result.error_count} error(s), ${result.warning_count} warning(s) in ${result.files_scanned} file(s)`);
  } else io.out(report);
  return passed ? EXIT.OK : EXIT.NEGATIVE;
};
export default scan;
