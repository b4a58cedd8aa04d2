import type { Stats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { UserError } from '../models/errors.js';
import { parseJsonText } from './read-json.js';
import { describeSpecialFile } from './read-regular-file.js';

/** The input of `run` and `pipeline`: JSON text (--input) or a file to read it from (--input-file). */
export interface RunInputSource {
  inputText?: string | undefined;
  inputFile?: string | undefined;
}

/**
 * Reads and parses the run input, refusing anything over sandbox.max_input_bytes before
 * reading it whole. @throws UserError (exit 2)
 */
export async function readRunInput(options: RunInputSource, maxBytes: number): Promise<unknown> {
  const limitHint = 'the limit is sandbox.max_input_bytes in toolsmith.config.json';
  if (options.inputFile !== undefined) {
    const info = await stat(options.inputFile).catch(() => null);
    if (!info?.isFile()) throw new UserError(`input file ${options.inputFile} ${whyNotAFile(info)}`, 'pass --input-file PATH to a JSON file');
    if (info.size > maxBytes) throw new UserError(`input file ${options.inputFile} is ${info.size} bytes, over the ${maxBytes}-byte limit`, limitHint);
    return parseJsonText(await readFile(options.inputFile, 'utf8'), options.inputFile);
  }
  if (options.inputText === undefined) throw new UserError('run needs an input', "pass --input '{\"key\": \"value\"}' or --input-file FILE");
  const size = Buffer.byteLength(options.inputText);
  if (size > maxBytes) throw new UserError(`the input is ${size} bytes, over the ${maxBytes}-byte limit`, limitHint);
  return parseJsonText(options.inputText, '--input');
}


/** Why a path given as an input file cannot be read as one: "does not exist", "is a folder", "is a FIFO (named pipe)"... */
export function whyNotAFile(info: Stats | null): string {
  if (info === null) return 'does not exist';
  if (info.isDirectory()) return 'is a folder, not a file';
  return `is ${describeSpecialFile(info) ?? 'something else'}, not a regular file`;
}
