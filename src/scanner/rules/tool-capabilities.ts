import { z } from 'zod';
import { ts } from '../../ast/syntax.js';
import { calleeName, calleePath, unwrapExpression } from '../call-path.js';
import { createModuleReferenceVisitors, formatLoader, moduleReferenceOf, specifierMatchesModule } from '../import-specifiers.js';
import { createRequireValueWatch } from '../require-value.js';
import type { RuleModule } from '../types.js';

const PROCESS_MODULES = ['child_process', 'worker_threads', 'cluster'];
/** Modules that run code from strings or make loaders (`vm` is eval; `module.createRequire` a require no rule can follow). */
const CODE_MODULES = ['vm', 'module', 'inspector', 'repl'];
const NET_MODULES = ['net', 'http', 'https', 'http2', 'dgram', 'tls', 'dns', 'undici', 'ws'];
const GLOBAL_OBJECTS = new Set(['globalThis', 'global', 'window', 'self']);
const NET_CALLS = new Set(['fetch', 'WebSocket', 'XMLHttpRequest', 'EventSource']);
const FS_WRITES = new Set([
  'writeFile', 'writeFileSync', 'appendFile', 'appendFileSync', 'mkdir', 'mkdirSync', 'mkdtemp', 'mkdtempSync', 'rm', 'rmSync',
  'rmdir', 'rmdirSync', 'unlink', 'unlinkSync', 'rename', 'renameSync', 'copyFile', 'copyFileSync', 'cp', 'cpSync',
  'createWriteStream', 'truncate', 'truncateSync', 'symlink', 'symlinkSync', 'link', 'linkSync', 'chmod', 'chmodSync',
  'chown', 'chownSync', 'utimes', 'utimesSync',
]);
const FS_READS = new Set([
  'readFile', 'readFileSync', 'readdir', 'readdirSync', 'createReadStream', 'opendir', 'opendirSync', 'readlink', 'readlinkSync',
  'stat', 'statSync', 'lstat', 'lstatSync', 'existsSync', 'access', 'accessSync', 'realpath', 'realpathSync',
]);

/**
 * What a tool does must be what its spec grants (SPEC 2 `permissions`): network use needs
 * `net`, fs writes `fs:write`, fs reads `fs:read`, `process.env` needs `env`; starting processes
 * or workers is never granted. The sandbox enforces the same at run time where the OS allows;
 * this rule flags it everywhere, before anything runs.
 */
export const toolCapabilities: RuleModule<Record<string, never>> = {
  kind: 'tool-capabilities',
  description: "Capabilities a tool uses (network, fs writes and reads, env, processes) must be granted by its spec's permissions.",
  defaultSeverity: 'error',
  messages: {
    notGranted: '{what} needs the `{permission}` permission, which the spec does not grant',
    processes: '{what}: tools may not start processes or workers (no permission grants it)',
    code: '{what}: tools may not evaluate code or build module loaders at run time (no permission grants it)',
    computed: '{what}: a tool must load modules by a string literal, so what it loads can be checked',
  },
  options: z.strictObject({}),
  // eslint-disable-next-line max-lines-per-function -- one visitor per capability the rule checks, sharing the file's grants
  create(context) {
    let granted: Set<string> | null = null;
    const grants = (permission: string) => {
      granted ??= new Set(context.packageSpec()?.permissions ?? []);
      return granted.has(permission);
    };
    const need = (target: ts.Node, permission: string, what: string) => {
      if (!grants(permission)) context.report({ target, messageId: 'notGranted', data: { what, permission } });
    };
    let importsFs = false;
    const fsCalls: Array<{ node: ts.Node; name: string; permission: string }> = [];
    const inDeclarationFile = context.sourceFile.isDeclarationFile;
    const onReference = (node: ts.Node) => {
      const ref = moduleReferenceOf(node, inDeclarationFile);
      if (!ref || ref.typeOnly) return;
      if (ref.specifier === null) {
        context.report({ target: ref.reference, messageId: 'computed', data: { what: `${formatLoader(ref.via)} with a computed specifier` } });
        return;
      }
      const spec = ref.specifier;
      if (PROCESS_MODULES.some((m) => specifierMatchesModule(spec, m))) context.report({ target: ref.node, messageId: 'processes', data: { what: `import of \`${spec}\`` } });
      else if (CODE_MODULES.some((m) => specifierMatchesModule(spec, m))) context.report({ target: ref.node, messageId: 'code', data: { what: `import of \`${spec}\`` } });
      else if (NET_MODULES.some((m) => specifierMatchesModule(spec, m))) need(ref.node, 'net', `import of \`${spec}\``);
      else if (specifierMatchesModule(spec, 'fs')) importsFs = true;
    };
    const onCall = (call: ts.CallExpression | ts.NewExpression) => {
      const name = calleeName(call);
      if (name === null || !(NET_CALLS.has(name) || FS_WRITES.has(name) || FS_READS.has(name))) return;
      const path = calleePath(call);
      if (!path) return;
      if (path.length === 1 && NET_CALLS.has(name)) need(call, 'net', `\`${name}\``);
      else if (FS_WRITES.has(name)) fsCalls.push({ node: call, name, permission: 'fs:write' });
      else if (FS_READS.has(name)) fsCalls.push({ node: call, name, permission: 'fs:read' });
    };
    // `process.env`, `process["env"]`, `globalThis.process.env`: checked by name first (property
    // accesses are the most frequent node this rule sees; escapedText equals the text for `env`).
    const onEnvAccess = (node: ts.Node, object: ts.Expression) => {
      let target = unwrapExpression(object);
      if (ts.isPropertyAccessExpression(target) && ts.isIdentifier(target.expression) && GLOBAL_OBJECTS.has(target.expression.text)) target = target.name;
      if (ts.isIdentifier(target) && target.escapedText === 'process') need(node, 'env', '`process.env`');
    };
    const onPropertyAccess = (access: ts.PropertyAccessExpression) => {
      if (access.name.escapedText === 'env') onEnvAccess(access, access.expression);
    };
    const onElementAccess = (access: ts.ElementAccessExpression) => {
      const arg = access.argumentExpression;
      if ((ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg)) && arg.text === 'env') onEnvAccess(access, access.expression);
    };
    const requireWatch = createRequireValueWatch(context, 'computed');
    return {
      enter: {
        ...(requireWatch ? { [ts.SyntaxKind.Identifier]: requireWatch } : {}),
        ...createModuleReferenceVisitors(onReference),
        [ts.SyntaxKind.CallExpression]: (node) => {
          onReference(node);
          onCall(node);
        },
        [ts.SyntaxKind.NewExpression]: onCall,
        [ts.SyntaxKind.PropertyAccessExpression]: onPropertyAccess,
        [ts.SyntaxKind.ElementAccessExpression]: onElementAccess,
      },
      // fs calls count only once we know the file loads fs (a `writeFile` of its own is fine).
      end: () => {
        if (importsFs) for (const c of fsCalls) need(c.node, c.permission, `\`${c.name}\``);
      },
    };
  },
};
