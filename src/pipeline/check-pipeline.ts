// `pipeline check`: every link of a chain, before anything runs. Two kinds of evidence per
// link: the static comparison of the schemas (schema-compatibility.ts), and the concrete
// one: the producer's own test cases' expected outputs, validated against the consumer's
// input_schema (bounded in time, as every validation of hostile data).
import type { ResolvedTool, ValidatorSource } from '../runner/index.js';
import { summarizeAjvErrors, validateWithin } from '../json-schema/standalone-runtime.js';
import { checkSchemaCompatibility, verdictOf, type CompatibilityFinding, type CompatibilityVerdict } from './schema-compatibility.js';

export interface LinkCheck {
  /** Index of the producing step; the consumer is `from + 1`. */
  from: number;
  to: number;
  output_of: string;
  input_of: string;
  verdict: CompatibilityVerdict;
  findings: CompatibilityFinding[];
  /** How many of the producer's expected outputs the consumer's input_schema accepted, of how many tried. */
  evidence: { accepted: number; tried: number };
}

export interface PipelineCheck {
  verdict: CompatibilityVerdict;
  links: LinkCheck[];
}

/** Each expected output is checked within this time (a schema and a value may be hostile together). */
const EVIDENCE_DEADLINE_MS = 1000;
/** At most this many test cases per link are tried. */
const MAX_EVIDENCE = 100;

/** Checks every link of a chain of resolved tools. */
export async function checkPipeline(tools: readonly ResolvedTool[], validators: ValidatorSource): Promise<PipelineCheck> {
  const links: LinkCheck[] = [];
  for (let i = 0; i + 1 < tools.length; i++) {
    const producer = tools[i] as ResolvedTool; // `as`: i + 1 < length
    const consumer = tools[i + 1] as ResolvedTool;
    const { findings } = checkSchemaCompatibility(producer.schemas.output_schema, consumer.schemas.input_schema);
    const evidence = await checkExpectedOutputs(producer, consumer, validators);
    findings.push(...evidence.findings);
    links.push({ from: i, to: i + 1, output_of: label(producer), input_of: label(consumer), verdict: verdictOf(findings), findings, evidence: { accepted: evidence.accepted, tried: evidence.tried } });
  }
  return { verdict: verdictOf(links.flatMap((l) => l.findings)), links };
}

function label(tool: ResolvedTool): string {
  return `${tool.toolId}@${tool.version}`;
}

/** The producer's test cases with an `expected` output (promoted, so they passed): each must be accepted by the consumer. */
async function checkExpectedOutputs(producer: ResolvedTool, consumer: ResolvedTool, validators: ValidatorSource): Promise<{ findings: CompatibilityFinding[]; accepted: number; tried: number }> {
  const cases = expectedOutputs(producer).slice(0, MAX_EVIDENCE);
  const findings: CompatibilityFinding[] = [];
  if (cases.length === 0) return { findings, accepted: 0, tried: 0 };
  const { input } = await validators(consumer);
  let accepted = 0;
  for (const { name, expected } of cases) {
    const checked = validateWithin(input, expected, EVIDENCE_DEADLINE_MS);
    if (checked.status === 'valid') {
      accepted++;
      continue;
    }
    const first = checked.status === 'invalid' ? checked.errors[0] : undefined;
    const problems = checked.status === 'invalid' ? summarizeAjvErrors(checked.errors, 'input').slice(0, 3).join('; ') : `validation did not finish within ${EVIDENCE_DEADLINE_MS} ms`;
    findings.push({
      verdict: checked.status === 'invalid' ? 'incompatible' : 'cannot-prove',
      message: `test case ${JSON.stringify(name)} of ${producer.toolId}: its expected output is refused by ${consumer.toolId}'s input_schema: ${problems}`,
      output_pointer: '',
      input_pointer: first ? first.schemaPath.replace(/^#/, '') : '',
    });
  }
  return { findings, accepted, tried: cases.length };
}

/** The verified tests.json's cases that have an expected output object. Malformed content is skipped (it passed promote's checks). */
function expectedOutputs(tool: ResolvedTool): Array<{ name: string; expected: Record<string, unknown> }> {
  if (tool.testsFile === undefined) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(tool.testsFile).toString('utf8'));
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  return parsed.flatMap((test: unknown) => {
    if (typeof test !== 'object' || test === null) return [];
    const { name, expected } = test as { name?: unknown; expected?: unknown }; // `as`: each field checked below
    if (typeof expected !== 'object' || expected === null || Array.isArray(expected)) return [];
    return [{ name: typeof name === 'string' ? name : '(unnamed)', expected: expected as Record<string, unknown> }]; // `as`: checked to be an object
  });
}
