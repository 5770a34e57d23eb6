/**
 * docker-compose.yml and the Dockerfile cannot be run here (no Docker engine), so this checks
 * what can drift without anyone noticing: every environment variable the compose file hands the
 * agent is one the code reads, the default config it mounts is valid, the commands it runs are
 * CLI commands, the files the Dockerfile copies exist, every service has a healthcheck (shell
 * and JavaScript that parse) and the agent waits for them, the agent's DATABASE_URL names the
 * postgres service's database and user, the image's user may write where the CLI writes, and
 * every ${...} is one Compose can interpolate.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Script } from 'node:vm';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { commands } from '../../src/cli/commands.js';
import { run } from '../../src/cli/run.js';

const healthcheckSchema = z.object({
  test: z.tuple([z.enum(['CMD', 'CMD-SHELL'])]).rest(z.string()),
  interval: z.string().regex(/^\d+s$/),
  timeout: z.string().regex(/^\d+s$/),
  retries: z.number().int().positive(),
  start_period: z.string().regex(/^\d+s$/).optional(),
}).strict();
const serviceSchema = z.object({
  image: z.string().optional(),
  build: z.string().optional(),
  entrypoint: z.array(z.string()).optional(),
  command: z.array(z.string()),
  environment: z.record(z.string(), z.string()).optional(),
  volumes: z.array(z.string()).optional(),
  depends_on: z.record(z.string(), z.object({ condition: z.enum(['service_started', 'service_healthy', 'service_completed_successfully']) }).strict()).optional(),
  healthcheck: healthcheckSchema,
});
const composeSchema = z.object({
  services: z.object({ agent: serviceSchema, redis: serviceSchema, devnet: serviceSchema, postgres: serviceSchema.extend({ command: z.array(z.string()).optional() }) }),
  volumes: z.record(z.string(), z.null()),
});

async function sourceFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await sourceFiles(p)));
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** Compose's interpolation of each value: ${NAME}, ${NAME:-default} (default when unset or empty), $$. */
function interpolate(values: Record<string, string>, env: Record<string, string>): Record<string, string> {
  const one = (v: string): string => v.replace(/\$\$|\$\{([A-Z_][A-Z0-9_]*)(?::-([^}]*))?\}/g, (m, name: string | undefined, dflt: string | undefined) => {
    if (m === '$$') return '$';
    const set = env[name!];
    return set !== undefined && set !== '' ? set : (dflt ?? '');
  });
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, one(v)]));
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

  it('gives every service a healthcheck that parses, and starts the agent once the others are healthy', async () => {
    const { services } = await compose();
    for (const [name, svc] of Object.entries(services)) {
      const [form, ...args] = svc.healthcheck.test;
      // the shell's own parser (sh -n) for CMD-SHELL; node -e snippets compiled (not run)
      const shell = form === 'CMD-SHELL' ? args.join(' ') : null;
      if (shell !== null) execFileSync('sh', ['-n', '-c', shell.replaceAll('$$', '$')]);
      const argv = form === 'CMD' ? args : null;
      const nodeCode = argv !== null && argv[0] === 'node' && argv[1] === '-e' ? argv[2]! : /node -e "([^"]+)"/.exec(shell ?? '')?.[1];
      if (nodeCode !== undefined) expect(() => new Script(nodeCode), `${name}'s healthcheck script`).not.toThrow();
      expect(nodeCode !== undefined || /redis-cli ping|pg_isready/.test(args.join(' ')), `${name}'s healthcheck checks something`).toBe(true);
    }
    expect(services.agent.healthcheck.test.join(' ')).toContain('/health');
    expect(services.devnet.healthcheck.test.join(' ')).toContain('.devnet/manifest.json');
    const deps = services.agent.depends_on ?? {};
    expect(Object.keys(deps).sort()).toEqual(['devnet', 'postgres', 'redis']);
    for (const d of Object.values(deps)) expect(d.condition).toBe('service_healthy');
  });

  it('hands the agent a DATABASE_URL for the postgres service (the spec\'s database), and keeps its data in volumes', async () => {
    const { services, volumes } = await compose();
    for (const env of [{}, { DB_USER: 'ops', DB_PASSWORD: 's3cret' }] as Record<string, string>[]) {
      const pg = interpolate(services.postgres.environment ?? {}, env);
      expect(pg['POSTGRES_DB']).toBe('liquidity_vault');
      const url = new URL(interpolate(services.agent.environment ?? {}, env)['DATABASE_URL'] ?? '');
      expect(url.protocol).toBe('postgres:');
      expect(url.hostname).toBe('postgres');
      expect(url.pathname).toBe(`/${pg['POSTGRES_DB']}`);
      expect(decodeURIComponent(url.username)).toBe(pg['POSTGRES_USER']);
      expect(decodeURIComponent(url.password)).toBe(pg['POSTGRES_PASSWORD']);
      if (env['DB_USER'] !== undefined) expect(url.username).toBe(env['DB_USER']);
    }
    expect(services.postgres.volumes).toContain('postgres-data:/var/lib/postgresql/data');
    expect(Object.keys(volumes).sort()).toEqual(['postgres-data', 'redis-data']);
  });

  it('uses only ${NAME}, ${NAME:-default} and $$ (what Compose interpolates)', async () => {
    const text = (await readFile('docker-compose.yml', 'utf8')).split('\n').filter((l) => !l.trimStart().startsWith('#')).join('\n');
    const dollars = [...text.matchAll(/\$(\$|\{[^}]*\}|.)/g)].map((m) => m[0]);
    expect(dollars.length).toBeGreaterThan(5);
    for (const d of dollars) expect(d, d).toMatch(/^(\$\$|\$\{[A-Z_][A-Z0-9_]*(:-[^${}]*)?\})$/);
  });
});

describe('Dockerfile', () => {
  it('runs as node, owning only what the CLI writes under the root-owned /app (.devnet/, data/)', async () => {
    const text = await readFile('Dockerfile', 'utf8');
    const userAt = text.indexOf('\nUSER node');
    expect(userAt).toBeGreaterThan(0);
    const chown = /^RUN mkdir -p (.+) && chown node:node (.+)$/m.exec(text);
    expect(chown, 'RUN mkdir -p … && chown node:node …').not.toBeNull();
    expect(chown!.index).toBeLessThan(userAt);
    const owned = chown![2]!.split(/\s+/);
    expect(chown![1]!.split(/\s+/)).toEqual(owned);
    // where the devnet writes its manifest and the file store its data, by default
    const devnetSrc = await readFile('src/cli/devnet.ts', 'utf8');
    const out = /out: \{ type: 'string', default: '([^']+)' \}/.exec(devnetSrc)?.[1];
    expect(out).toBe('.devnet/manifest.json');
    expect(owned).toContain(out!.split('/')[0]);
    expect(owned).toContain('data');
  });

  it('copies files that exist and starts the CLI the package declares', async () => {
    const text = await readFile('Dockerfile', 'utf8');
    const copies = [...text.matchAll(/^COPY\s+(.+)\s+\S+$/gm)].flatMap((m) => m[1]!.trim().split(/\s+/));
    expect(copies.length).toBeGreaterThan(2);
    for (const c of copies) expect(existsSync(c), `COPY ${c}`).toBe(true);
    const pkg = z.object({ bin: z.object({ rangekeeper: z.string() }) }).parse(JSON.parse(await readFile('package.json', 'utf8')));
    expect(text).toContain(`ENTRYPOINT ["node", "${pkg.bin.rangekeeper}"]`);
  });
});
