/**
 * docker-compose.yml and the Dockerfile cannot be run here (no Docker engine), so this checks
 * what can drift without anyone noticing: every environment variable the compose file hands the
 * agent is one the code reads, the default config it mounts is valid, the commands it runs are
 * CLI commands, and the files the Dockerfile copies exist.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { commands } from '../../src/cli/commands.js';
import { run } from '../../src/cli/run.js';

const serviceSchema = z.object({
  image: z.string().optional(),
  build: z.string().optional(),
  entrypoint: z.array(z.string()).optional(),
  command: z.array(z.string()),
  environment: z.record(z.string(), z.string()).optional(),
  volumes: z.array(z.string()).optional(),
});
const composeSchema = z.object({ services: z.object({ agent: serviceSchema, redis: serviceSchema, devnet: serviceSchema }) });

async function sourceFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await sourceFiles(p)));
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

async function compose(): Promise<z.infer<typeof composeSchema>> {
  return composeSchema.parse(parse(await readFile('docker-compose.yml', 'utf8')));
}

describe('docker-compose.yml', () => {
  it('hands the agent only environment variables the code reads', async () => {
    const { services } = await compose();
    const names = Object.keys(services.agent.environment ?? {}).filter((n) => n !== 'NODE_ENV');
    expect(names.length).toBeGreaterThan(5);
    const src = (await Promise.all((await sourceFiles('src')).map((f) => readFile(f, 'utf8')))).join('\n');
    const unread = names.filter((n) => !src.includes(`'${n}'`) && !src.includes(`"${n}"`));
    expect(unread, `variables passed to the agent that nothing in src reads: ${unread.join(', ')}`).toEqual([]);
  });

  it('runs CLI commands that exist, and mounts a default config that is valid', async () => {
    const { services } = await compose();
    const known = new Set(Object.keys(commands));
    expect(known.has(services.agent.command[0]!)).toBe(true);
    expect(services.devnet.entrypoint).toEqual(['node', 'bin/rangekeeper.mjs']);
    expect(known.has(services.devnet.command[0]!)).toBe(true);

    const mount = services.agent.volumes?.find((v) => v.includes(':/config/rangekeeper.yaml'));
    const source = /^\$\{RANGEKEEPER_CONFIG:-([^}]+)\}:/.exec(mount ?? '')?.[1];
    expect(source, `agent config mount: ${mount}`).toBeDefined();
    expect(services.agent.command).toEqual(['run', '--config', '/config/rangekeeper.yaml']);
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const err = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect(await run(['--config', source!, '--check'])).toBe(0);
    } finally {
      log.mockRestore();
      err.mockRestore();
    }
  });
});

describe('Dockerfile', () => {
  it('copies files that exist and starts the CLI the package declares', async () => {
    const text = await readFile('Dockerfile', 'utf8');
    const copies = [...text.matchAll(/^COPY\s+(.+)\s+\S+$/gm)].flatMap((m) => m[1]!.trim().split(/\s+/));
    expect(copies.length).toBeGreaterThan(2);
    for (const c of copies) expect(existsSync(c), `COPY ${c}`).toBe(true);
    const pkg = z.object({ bin: z.object({ rangekeeper: z.string() }) }).parse(JSON.parse(await readFile('package.json', 'utf8')));
    expect(text).toContain(`ENTRYPOINT ["node", "${pkg.bin.rangekeeper}"]`);
  });
});
