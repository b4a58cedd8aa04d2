import { Command, Option } from 'commander';
import type { GlobalFlags } from './io/output.js';
import { VERSION } from './version.js';

/** A command handler module: imported only when its command runs, so start-up stays light. */
export type Handler = (args: unknown[], flags: GlobalFlags & Record<string, unknown>) => Promise<number>;
type Loader = () => Promise<{ default: Handler }>;

/** The handler called by the single action wrapper; set by main so tests can observe it. */
export type Dispatch = (load: Loader, args: unknown[], command: Command) => Promise<void>;

/**
 * Builds the command tree (names, flags, help). Handlers live in commands/<verb>.ts and are
 * loaded lazily by `dispatch`.
 */
export function createProgram(dispatch: Dispatch): Command {
  const program = new Command('toolsmith')
    .description('Build, validate, review, promote and run tools that LLM agents call.')
    .version(VERSION, '-V, --version', 'print the version')
    .option('--json', 'print exactly one JSON document on stdout')
    .option('--verbose', 'show stack traces and internal details of errors')
    .option('-w, --workspace <dir>', 'the workspace folder (default: TOOLSMITH_WORKSPACE, else the nearest ancestor with toolsmith.config.json or registry/metadata.json, else the current folder)')
    .option('--no-color', 'never colour the output')
    .exitOverride()
    .configureOutput({ outputError: () => undefined });

  const on = (load: Loader) =>
    async function (this: Command, ...args: unknown[]) {
      await dispatch(load, args.slice(0, -2), this);
    };

  program.command('init').description('create a workspace (toolsmith.config.json, staged/, registry/)')
    .argument('[dir]', 'the folder', '.')
    .action(on(() => import('./commands/init.js')));

  program.command('generate').description('create a DRAFT candidate from a spec (--spec FILE, or a wizard on a terminal)')
    .argument('[name]', 'tool name (overrides the spec\'s tool_name)')
    .option('-s, --spec <file>', 'a JSON ToolSpec file')
    .option('-t, --template <name>', 'template backend: the template to render', 'default')
    .option('--samples <n>', 'how many implementation samples to generate (for pass@k)', '1')
    .option('--tool-version <semver>', 'the candidate\'s version (default: the next patch after the promoted one, else 1.0.0)')
    .option('-f, --force', 'replace an existing candidate of that name')
    .action(on(() => import('./commands/generate.js')));

  program.command('validate').description('run the five gates and metrics; write the ValidationReport')
    .argument('[ids...]', 'candidate ids')
    .option('-a, --all', 'validate every candidate in staged/')
    .option('--junit <file>', 'also write a JUnit XML report')
    .action(on(() => import('./commands/validate.js')));

  program.command('stage').description('DRAFT -> STAGED (needs a valid, current report and the minimum tier)')
    .argument('<id>').action(on(() => import('./commands/stage.js')));

  for (const verb of ['approve', 'reject'] as const) {
    program.command(verb).description(verb === 'approve' ? 'record an approval (STAGED -> APPROVED once enough reviewers approved)' : 'STAGED -> REJECTED with notes')
      .argument('<id>')
      .option('-r, --reviewer <name>', 'who decides (required)')
      .option('-n, --notes <text>', verb === 'reject' ? 'why (required)' : 'comments')
      .option('--sign-key <path>', 'sign the review with this SSH private key (ssh-keygen -Y sign; default: TOOLSMITH_SIGN_KEY)')
      .action(on(() => import('./commands/review.js')));
  }

  program.command('promote').description('APPROVED -> PROMOTED: freeze into registry/tools/<id>/<version>/')
    .argument('<id>')
    .option('--sign-key <path>', 'write a signed promotion record with this SSH private key (default: TOOLSMITH_SIGN_KEY)')
    .action(on(() => import('./commands/promote.js')));

  program.command('list').description('list candidates and promoted tools').action(on(() => import('./commands/list.js')));

  program.command('show').description('everything a reviewer needs: spec, hashes, gates, failing tests, metrics, history')
    .argument('<id>').action(on(() => import('./commands/show.js')));

  program.command('diff').description('the staged candidate against its promoted version')
    .argument('<id>').action(on(() => import('./commands/diff.js')));

  program.command('run').description('run a promoted tool through the governed runner; prints RunArtifacts')
    .argument('<tool>')
    .addOption(new Option('-i, --input <json>', 'the input object as JSON').conflicts('inputFile'))
    .option('-f, --input-file <file>', 'read the input JSON from a file (- for stdin)')
    .option('-o, --out <dir>', 'copy the files an fs:write tool leaves in its output folder into DIR (default: only listed)')
    .action(on(() => import('./commands/run.js')));

  program.command('verify').description('check every promoted tool against its hashes and promote line, the audit chain, governance and signatures')
    .action(on(() => import('./commands/verify.js')));

  program.command('scan').description('the mechanical scanner: governance rules from toolsmith.config.json (exit 1 on any error finding)')
    .argument('[paths...]', 'files or folders to scan (default: the workspace root)')
    .addOption(new Option('--format <format>', 'report format').choices(['text', 'json', 'sarif']))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--max-warnings <n>', 'exit 1 when there are more warnings than this')
    .option('-c, --config <file>', 'the config file to read rules from (default: the workspace\'s toolsmith.config.json)')
    .action(on(() => import('./commands/scan.js')));

  const metrics = program.command('metrics').description('code metrics');
  metrics.command('pass-at-k').description('unbiased pass@k for n samples of which c are correct')
    .requiredOption('--n <n>', 'samples generated')
    .requiredOption('--c <c>', 'samples correct')
    .option('--k <list>', 'comma-separated k values', '1')
    .action(on(() => import('./commands/metrics-pass-at-k.js')));
  metrics.command('codebleu').description('CodeBLEU of a candidate against a reference (TypeScript/JavaScript), or of every pair in a JSONL file')
    .option('--reference <file>', 'the reference source file')
    .option('--candidate <file>', 'the candidate source file')
    .option('--pairs <file>', 'JSON Lines of { "id", "reference", "candidate" }: a line per pair and the corpus score')
    .option('--weights <list>', 'n-gram, weighted n-gram, AST, data-flow weights, summing to 1', '0.25,0.25,0.25,0.25')
    .action(on(() => import('./commands/metrics-codebleu.js')));

  return program;
}

