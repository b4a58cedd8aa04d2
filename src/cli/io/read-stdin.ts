/** Reads all of stdin as UTF-8 text (for `--input-file -`). */
export async function readStdinText(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer); // safe: stdin without an encoding yields Buffers
  return Buffer.concat(chunks).toString('utf8');
}

/** `--input JSON` / `--input-file FILE` as the core takes them; `--input-file -` is read from stdin here. */
export async function readInputFlags(flags: Record<string, unknown>): Promise<{ inputText: string | undefined; inputFile: string | undefined }> {
  const inputFile = typeof flags['inputFile'] === 'string' ? flags['inputFile'] : undefined;
  if (inputFile === '-') return { inputText: await readStdinText(), inputFile: undefined };
  return { inputText: typeof flags['input'] === 'string' ? flags['input'] : undefined, inputFile };
}
