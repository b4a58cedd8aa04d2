import path from 'node:path';
import { generateCandidate } from '../../lifecycle/generate.js';
import { defaultTemplatesDir } from '../../generate/templates-dir.js';
import { UserError } from '../../models/errors.js';
import { hasCandidate } from '../../stores/staged-store.js';
import { assertWorkspace, findWorkspace } from '../../workspace/find-workspace.js';
import { createIo, type Io } from '../io/output.js';
import { EXIT } from '../../models/exit-codes.js';
import type { Handler } from '../program.js';
import type { GlobalFlags } from '../io/output.js';

const generate: Handler = async ([name], flags) => {
  const io = await createIo(flags);
  if (flags['llm'] === true || typeof flags['command'] === 'string') return (await import('./generate-code.js')).runGenerateCode(io, typeof name === 'string' ? name : undefined, flags);
  for (const flag of ['from', 'tests'] as const) {
    if (flags[flag] !== undefined) throw new UserError(`--${flag} needs --llm (or --command for --tests)`, 'e.g. toolsmith generate --llm --spec my-tool.json --tests tests.json');
  }
  if (typeof flags['repair'] === 'number' && flags['repair'] > 0) throw new UserError('--repair needs --llm', 'e.g. toolsmith generate --llm --spec my-tool.json --repair 2');
  const specFile = typeof flags['spec'] === 'string' ? path.resolve(io.cwd, flags['spec']) : undefined;
  const force = flags['force'] === true;
  let spec;
  if (!specFile) spec = await askSpec(io, flags, name, force);
  const { templateBackend } = await import('../../generate/template-backend.js');
  const result = await generateCandidate({
    cwd: io.cwd,
    workspace: flags.workspace,
    specFile,
    spec,
    name: typeof name === 'string' ? name : undefined,
    force,
    samples: typeof flags['samples'] === 'number' ? flags['samples'] : 1,
    version: typeof flags['toolVersion'] === 'string' ? flags['toolVersion'] : undefined,
    templateName: String(flags['template'] ?? 'default'),
    templatesDir: defaultTemplatesDir(),
    backend: templateBackend,
  });
  io.result(result, (p) =>
    [
      `${p.green('✓')} generated ${result.tool_id} ${result.version} (${result.status}) in ${result.path} by ${result.created_by}`,
      ...result.files.map((f) => `  ${f}`),
      `next: implement ${path.join(result.path, 'index.ts')}, add cases to tests.json, then ${p.cyan(`toolsmith validate ${result.tool_id}`)}`,
    ].join('\n'),
  );
  return EXIT.OK;
};
export default generate;

/** The wizard (a terminal only). */
async function askSpec(io: Io, flags: GlobalFlags, name: unknown, force: boolean) {
  if (!io.stdinIsTTY || flags.json) {
    throw new UserError('generate needs --spec FILE when not run in a terminal', 'pass --spec my-tool.json (see the README for the spec format)');
  }
  // Checked before the first question: nine answers must not end in "not a workspace".
  const workspace = assertWorkspace(findWorkspace({ cwd: io.cwd, workspace: flags.workspace }));
  const { runSpecWizard } = await import('../io/spec-wizard.js');
  return runSpecWizard({
    ...(typeof name === 'string' ? { name } : {}),
    nameProblem: (candidate) => (!force && hasCandidate(workspace.stagedDir, candidate) ? `staged/${candidate} already exists: choose another name, or run again with --force to replace it` : null),
  });
}
