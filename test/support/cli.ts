/**
 * Runs the real command line (`node bin/rangekeeper.mjs ...`) as a user would, and checks the
 * shape of a failure: an exit code, one line on stderr, no Node stack frame.
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { expect } from 'vitest';

export const BIN = new URL('../../bin/rangekeeper.mjs', import.meta.url).pathname;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: NodeJS.ProcessEnv;
  input?: string;
  timeoutMs?: number;
  /** Run this script instead of the rangekeeper bin (e.g. bench/run.ts through tsx). */
  argv0?: string[];
}

/** Spawns the CLI with `args`; resolves when it exits (killed after timeoutMs, default 60 s). */
export function runCli(args: string[], o: CliOptions = {}): Promise<CliResult> {
  const child = spawn(process.execPath, [...(o.argv0 ?? [BIN]), ...args], { env: { ...process.env, ...o.env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin.end(o.input ?? '');
  const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 60_000);
  return new Promise((resolve) => {
    child.on('exit', (code) => {
      clearTimeout(timer);
      // let the pipes drain
      setImmediate(() => resolve({ code, stdout, stderr }));
    });
  });
}

/** A stack frame line as Node prints it ("    at fn (file:1:2)"). */
const STACK_FRAME = /^\s+at /m;

/** The failure shape every user-caused error must have: the exit code, ONE line on stderr, no stack. */
export function expectOneLineFailure(r: CliResult, exitCode: 1 | 2, mentions?: RegExp): void {
  const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
  expect(r.code, r.stderr).toBe(exitCode);
  expect(lines, r.stderr).toHaveLength(1);
  expect(r.stderr).not.toMatch(STACK_FRAME);
  expect(r.stdout).not.toMatch(STACK_FRAME);
  if (mentions !== undefined) expect(lines[0]).toMatch(mentions);
}

/** A TCP port on 127.0.0.1 that nothing listens on (bound, then closed). */
export async function closedPort(): Promise<number> {
  const s = await listening();
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** A TCP server on a free 127.0.0.1 port (to make a port busy); close it when done. */
export function listening(): Promise<Server> {
  const s = createServer();
  return new Promise((resolve, reject) => {
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => resolve(s));
  });
}
