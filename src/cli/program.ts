import { Argument, Command, InvalidArgumentError, Option } from 'commander';
import { EXIT_MEANINGS } from '../models/exit-codes.js';
import { ENVIRONMENT } from './environment.js';
import type { GlobalFlags } from './io/output.js';
import { VERSION } from './version.js';

/** A command handler module: imported only when its command runs, so start-up stays light. */
export type Handler = (args: unknown[], flags: GlobalFlags & Record<string, unknown>) => Promise<number>;
type Loader = () => Promise<{ default: Handler }>;

/** The handler called by the single action wrapper; set by main so tests can observe it. */
export type Dispatch = (load: Loader, args: unknown[], command: Command) => Promise<void>;

/** Where commander writes help, version and its own errors; main redirects them for --json. */
export interface ProgramOutput {
  writeOut?: (text: string) => void;
  writeErr?: (text: string) => void;
  /** The width help is wrapped to (default: the terminal's, else 80). */
  getOutHelpWidth?: () => number;
}

/** Commands that work without a workspace (everything else finds one, and names it). */
export const NO_WORKSPACE_COMMANDS = new Set(['init', 'metrics pass-at-k', 'metrics codebleu', 'completion']);

/**
 * Builds the command tree (names, flags, help with examples). Handlers live in
 * commands/<verb>.ts and are loaded lazily by `dispatch`. Shell completion is generated from
 * this same tree (commands/completion.ts), so it cannot drift from it.
 */
// eslint-disable-next-line max-lines-per-function -- the whole command tree, declared in one place: a few lines per command
export function createProgram(dispatch: Dispatch, output: ProgramOutput = {}): Command {
  const program = new Command('toolsmith')
    .description('Build, validate, review, promote and run tools that LLM agents call.')
    .version(VERSION, '-V, --version', 'print the version')
    .option('--json', 'print exactly one JSON document on stdout (the result, or { "error": { "type", "message", "hint" } })')
    .option('-q, --quiet', 'no progress, notes or hints on stderr (errors still print)')
    .option('--verbose', 'show stack traces and internal details of errors')
    .option('-w, --workspace <dir>', 'the workspace folder (default: TOOLSMITH_WORKSPACE, else the nearest ancestor with toolsmith.config.json or registry/metadata.json, else the current folder)')
    .option('--no-color', 'never colour the output')
    .exitOverride()
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({ outputError: () => undefined, ...output })
    .addHelpText('afterAll', footer());

  const on = (load: Loader) =>
    async function (this: Command, ...args: unknown[]) {
      await dispatch(load, args.slice(0, -2), this);
    };

  withExamples(program.command('init').description('create a workspace (toolsmith.config.json, staged/, registry/); never overwrites')
    .argument('[dir]', 'the folder', '.'), [
    'toolsmith init                     # make the current folder a workspace',
    'toolsmith init my-tools            # or a new folder',
  ]).action(on(() => import('./commands/init.js')));

  withExamples(program.command('generate').description('create a DRAFT candidate from a spec (--spec FILE, or a wizard on a terminal), by a template, a model (--llm) or a program (--command)')
    .argument('[name]', 'tool name (overrides the spec\'s tool_name)')
    .option('-s, --spec <file>', 'a JSON ToolSpec file')
    .option('-t, --template <name>', 'template backend: the template to render', 'default')
    .addOption(new Option('--llm', 'LLM backend: an OpenAI-compatible Chat Completions endpoint (config "llm"); ends with a validated DRAFT').conflicts(['command', 'template']))
    .addOption(new Option('--command <cmd>', 'external generator: the spec JSON on its stdin, the implementation on its stdout').conflicts('template'))
    .option('--command-timeout <ms>', 'kill the --command generator after this many milliseconds', wholeNumber(100, 3_600_000), 120_000)
    .option('--from <sentence>', 'with --llm: the model writes the spec (and tests) from this sentence first')
    .option('-y, --yes', 'accept the spec --from generates without asking (required without a terminal)')
    .option('--tests <file>', 'the test cases (a tests.json) that judge the samples (default: tests.json beside the spec, else the model writes them)')
    .option('--samples <n>', 'how many implementation samples to generate, 1 to 100 (for pass@k)', wholeNumber(1, 100), 1)
    .option('--repair <r>', 'with --llm: repair rounds per failing sample, 0 to 10, each sending the validation errors back', wholeNumber(0, 10), 0)
    .option('--tool-version <semver>', 'the candidate\'s version (default: the next patch after the promoted one, else 1.0.0)')
    .option('-f, --force', 'replace an existing candidate of that name'), [
    'toolsmith generate --spec examples/text_stats/spec.json',
    'toolsmith generate --spec examples/csv_group_count/spec.json --samples 3',
    'toolsmith generate                 # in a terminal: a wizard asks for each field',
    'toolsmith generate --spec examples/stats_report/spec.json --command "node examples/generators/copy-example.mjs"',
  ]).action(on(() => import('./commands/generate.js')));

  withExamples(program.command('validate').description('run the five gates and metrics; write the ValidationReport (exit 1 if any candidate is invalid)')
    .argument('[ids...]', 'candidate ids')
    .option('-a, --all', 'validate every candidate in staged/')
    .option('--junit <file>', 'also write a JUnit XML report (its folder is created)'), [
    'toolsmith validate text_stats',
    'toolsmith validate --all --junit reports/junit.xml',
  ]).action(on(() => import('./commands/validate.js')));

  withExamples(program.command('stage').description('DRAFT -> STAGED (needs a valid, current report and the minimum tier)')
    .argument('<id>'), ['toolsmith stage text_stats']).action(on(() => import('./commands/stage.js')));

  for (const verb of ['approve', 'reject'] as const) {
    withExamples(program.command(verb).description(verb === 'approve' ? 'record an approval (STAGED -> APPROVED once enough reviewers approved)' : 'STAGED -> REJECTED with notes')
      .argument('<id>')
      .option('-r, --reviewer <name>', 'who decides (required)')
      .option('-n, --notes <text>', verb === 'reject' ? 'why (required)' : 'comments')
      .option('--sign-key <path>', 'sign the review with this SSH private key (ssh-keygen -Y sign; default: TOOLSMITH_SIGN_KEY)'),
    verb === 'approve'
      ? ['toolsmith approve text_stats --reviewer alice --notes "tests cover unicode"']
      : ['toolsmith reject csv_group_count --reviewer bob --notes "add a test with two group_by columns"'],
    ).action(on(() => import('./commands/review.js')));
  }

  withExamples(program.command('promote').description('APPROVED -> PROMOTED: freeze into registry/tools/<id>/<version>/')
    .argument('<id>')
    .option('--sign-key <path>', 'write a signed promotion record with this SSH private key (default: TOOLSMITH_SIGN_KEY)'), [
    'toolsmith promote text_stats',
  ]).action(on(() => import('./commands/promote.js')));

  withExamples(program.command('list').description('list candidates and promoted tools'), [
    'toolsmith list',
    'toolsmith list --json',
  ]).action(on(() => import('./commands/list.js')));

  withExamples(program.command('show').description('everything a reviewer needs: spec, hashes, gates, failing tests, metrics, history')
    .argument('<id>'), ['toolsmith show text_stats']).action(on(() => import('./commands/show.js')));

  withExamples(program.command('diff').description('the staged candidate against its promoted version')
    .argument('<id>'), ['toolsmith diff text_stats']).action(on(() => import('./commands/diff.js')));

  withExamples(program.command('run').description('run a promoted tool through the governed runner; prints RunArtifacts')
    .argument('<tool>', 'a promoted tool, or tool@version to run an older promoted version')
    .addOption(new Option('-i, --input <json>', 'the input object as JSON').conflicts('inputFile'))
    .option('-f, --input-file <file>', 'read the input JSON from a file (- for stdin)')
    .option('-o, --out <dir>', 'copy the files an fs:write tool leaves in its output folder into DIR (default: only listed)'), [
    'toolsmith run text_stats --input \'{"text":"Tools for agents. Tools that are governed!","top":2}\'',
    'echo \'{"text":"hello world"}\' | toolsmith run text_stats --input-file -',
    'toolsmith run text_stats@1.0.0 --input \'{"text":"an older promoted version"}\'',
  ]).action(on(() => import('./commands/run.js')));

  const pipeline = withExamples(program.command('pipeline').description('run promoted tools in a chain: each step\'s whole output is the next step\'s input (checked first)')
    .argument('[tools...]', 'the steps, in order (tool or tool@version)')
    .addOption(new Option('-i, --input <json>', 'the first step\'s input as JSON').conflicts('inputFile'))
    .option('-f, --input-file <file>', 'read the first step\'s input from a file (- for stdin)')
    .option('--file <pipeline.json>', 'a Pipeline file: { "tools": [...], "payload": {...} }')
    .option('-n, --name <name>', 'a saved pipeline: pipelines/NAME.json in the workspace')
    .option('--no-check', 'run even when `pipeline check` finds the steps incompatible')
    .option('--events', 'stream PipelineEvents as NDJSON on stdout while it runs (one final result or error line)')
    .option('--batch', 'batch mode for any --input-file (a .jsonl or .ndjson file is one already): one JSON object per line, one result line per input')
    .option('-c, --concurrency <n>', 'batch mode: inputs run at once, each step on warm sandbox workers (default: the number of cores)'), [
    'toolsmith pipeline text_stats stats_report --input \'{"text":"Tools for agents. Tools that are governed!","top":2}\'',
    'toolsmith pipeline --file examples/pipelines/text_report.json --json',
    'toolsmith pipeline text_stats stats_report --input \'{"text":"Live events."}\' --events',
    'toolsmith pipeline text_stats stats_report --input-file examples/pipelines/text_report-inputs.jsonl --concurrency 2',
  ]).action(on(() => import('./commands/pipeline.js')));
  withExamples(pipeline.command('check').description('compare each step\'s output_schema with the next step\'s input_schema, before anything runs (exit 1 if incompatible)')
    .argument('[tools...]', 'the steps, in order')
    .option('--file <pipeline.json>', 'a Pipeline file')
    .option('-n, --name <name>', 'a saved pipeline: pipelines/NAME.json'), [
    'toolsmith pipeline check text_stats stats_report',
    'toolsmith pipeline check --file examples/pipelines/text_report.json --json',
  ]).action(on(() => import('./commands/pipeline-check.js')));

  withExamples(program.command('manifest').description('print the MCPManifest of the promoted tools and saved pipelines that `serve` offers')
    .addOption(new Option('--format <format>', 'manifest: the MCPManifest; mcp: exactly what tools/list answers').choices(['manifest', 'mcp']).default('manifest')), [
    'toolsmith manifest',
    'toolsmith manifest --format mcp',
  ]).action(on(() => import('./commands/manifest.js')));

  withExamples(program.command('serve').description('serve the promoted tools and saved pipelines over MCP (stdio, or Streamable HTTP with --http); every call goes through the governed runner')
    .option('--http', 'serve Streamable HTTP at http://HOST:PORT/mcp instead of stdio')
    .option('--host <host>', 'with --http: the address to listen on; a non-loopback one needs --token-env (default 127.0.0.1)')
    .option('--port <n>', 'with --http: the port, 0 picks a free one (default 8808)', wholeNumber(0, 65535))
    .option('--token-env <name>', 'with --http: the NAME of an environment variable holding the bearer token clients must send')
    .option('--max-concurrency <n>', 'calls that run at once; more wait in a queue', wholeNumber(1, 256), 4)
    .option('--max-queue <n>', 'calls that may wait for a slot; beyond it a call fails at once (server busy)', wholeNumber(0, 100000), 256), [
    'toolsmith serve                     # stdio, for an MCP client that starts it; ends when stdin closes',
    'toolsmith serve --http --port 0     # in a terminal: prints "listening on http://127.0.0.1:PORT/mcp", runs until Ctrl-C',
    'MCP_TOKEN=$(openssl rand -hex 32) toolsmith serve --http --host 0.0.0.0 --token-env MCP_TOKEN   # in a terminal, until Ctrl-C',
  ]).action(on(() => import('./commands/serve.js')));

  withExamples(program.command('verify').description('check every promoted tool against its hashes and promote line, the audit chain, governance and signatures'), [
    'toolsmith verify',
  ]).action(on(() => import('./commands/verify.js')));

  withExamples(program.command('scan').description('the mechanical scanner: governance rules from toolsmith.config.json (exit 1 on any error finding)')
    .argument('[paths...]', 'files or folders to scan (default: the workspace root)')
    .addOption(new Option('--format <format>', 'report format (with --json: json, or sarif)').choices(['text', 'json', 'sarif']))
    .option('-o, --output <file>', 'write the report to a file instead of stdout (its folder is created)')
    .option('--max-warnings <n>', 'exit 1 when there are more warnings than this')
    .option('-c, --config <file>', 'the config file to read rules from (default: the workspace\'s toolsmith.config.json)'), [
    'toolsmith scan',
    'toolsmith scan staged --format sarif --output reports/scan.sarif',
    'toolsmith scan --max-warnings 0',
  ]).action(on(() => import('./commands/scan.js')));

  const metrics = program.command('metrics').description('code metrics: pass@k and CodeBLEU');
  withExamples(metrics.command('pass-at-k').description('unbiased pass@k for n samples of which c are correct')
    .requiredOption('--n <n>', 'samples generated')
    .requiredOption('--c <c>', 'samples correct')
    .option('--k <list>', 'comma-separated k values', '1'), [
    'toolsmith metrics pass-at-k --n 200 --c 13 --k 1,10,100',
  ]).action(on(() => import('./commands/metrics-pass-at-k.js')));
  withExamples(metrics.command('codebleu').description('CodeBLEU of a candidate against a reference (TypeScript/JavaScript), or of every pair in a JSONL file')
    .option('--reference <file>', 'the reference source file')
    .option('--candidate <file>', 'the candidate source file')
    .option('--pairs <file>', 'JSON Lines of { "id", "reference", "candidate" }: a line per pair and the corpus score')
    .option('--weights <list>', 'n-gram, weighted n-gram, AST, data-flow weights, summing to 1', '0.25,0.25,0.25,0.25'), [
    'toolsmith metrics codebleu --reference examples/text_stats/index.ts --candidate examples/csv_group_count/index.ts',
  ]).action(on(() => import('./commands/metrics-codebleu.js')));
  withExamples(metrics, ['toolsmith metrics pass-at-k --n 10 --c 3']);

  withExamples(program.command('completion').description('print a shell completion script (generated from this command tree)')
    .addArgument(new Argument('<shell>', 'bash, zsh or fish').choices(['bash', 'zsh', 'fish'])), [
    'source <(toolsmith completion bash)          # bash: add this line to ~/.bashrc',
    'mkdir -p ~/.zfunc && toolsmith completion zsh > ~/.zfunc/_toolsmith   # zsh: with fpath+=(~/.zfunc) before compinit',
    'mkdir -p ~/.config/fish/completions && toolsmith completion fish > ~/.config/fish/completions/toolsmith.fish',
  ]).action(on(() => import('./commands/completion.js')));

  return program;
}

/**
 * Adds an Examples section to a command's help. Every example works as written from this
 * repository's root (tests/cli/help-examples.test.ts runs each one that does not say it
 * needs a terminal).
 */
function withExamples(command: Command, examples: string[]): Command {
  return command.addHelpText('after', `\nExamples:\n${examples.map((e) => `  $ ${e}`).join('\n')}`);
}

/** The part of every --help that is the same for all commands: exit codes and environment. */
function footer(): string {
  const codes = Object.entries(EXIT_MEANINGS).map(([code, meaning]) => `  ${code.padEnd(5)}${meaning}`);
  const env = Object.entries(ENVIRONMENT).map(([name, meaning]) => `  ${name.padEnd(24)}${meaning}`);
  return `\nExit codes:\n${codes.join('\n')}\n\nEnvironment:\n${env.join('\n')}\n`;
}

/** A commander parser for a whole number in [min, max]; commander's message names the flag and echoes the value. */
export function wholeNumber(min: number, max: number): (value: string) => number {
  return (value) => {
    if (!/^\d+$/.test(value.trim()) || Number(value) < min || Number(value) > max) throw new InvalidArgumentError(`it must be a whole number from ${min} to ${max}`);
    return Number(value);
  };
}
