/** Reads all of stdin as UTF-8 text (for `--input-file -`). */
export async function readStdinText(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer); // safe: stdin without an encoding yields Buffers
  return Buffer.concat(chunks).toString('utf8');
}
