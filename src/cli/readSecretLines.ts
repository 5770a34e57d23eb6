import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';

/**
 * Reads `prompts.length` lines from stdin. From a pipe the lines are read as they come
 * (`printf '%s\n%s\n' "$KEY" "$SECRET" | rangekeeper keys add ...`); on a terminal each prompt
 * is shown on stderr and what is typed is not echoed, so secrets never sit in shell history or
 * on screen.
 */
export async function readSecretLines(prompts: string[]): Promise<string[]> {
  const tty = process.stdin.isTTY === true;
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _enc, cb) {
      if (!muted) process.stderr.write(chunk);
      cb();
    },
  });
  const rl = createInterface({ input: process.stdin, output: tty ? output : undefined, terminal: tty });
  const lines: string[] = [];
  try {
    if (tty) {
      for (const p of prompts) {
        process.stderr.write(`${p}: `);
        muted = true;
        const answer = await new Promise<string>((resolve) => rl.question('', resolve));
        muted = false;
        process.stderr.write('\n');
        lines.push(answer);
      }
      return lines;
    }
    for await (const line of rl) {
      lines.push(line);
      if (lines.length === prompts.length) break;
    }
    return lines;
  } finally {
    rl.close();
  }
}
