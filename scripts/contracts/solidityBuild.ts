/**
 * Compiles the project's Solidity (contracts/) with solc-js (the pinned `solc` npm package) and
 * the OpenZeppelin / Uniswap v4 sources installed in node_modules. The input is fixed (sources
 * keyed by repo-relative path, fixed settings), so the output is byte-for-byte reproducible:
 * `npm run contracts:build` writes it to contracts/artifacts/, and a test compiles afresh and
 * compares.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CONTRACTS_DIR = join(REPO_ROOT, 'contracts');
export const ARTIFACTS_DIR = join(CONTRACTS_DIR, 'artifacts');

/** The contracts whose artifacts are kept (source path → contract name). */
export const BUILT_CONTRACTS = [
  { source: 'contracts/RangeVault.sol', name: 'RangeVault' },
  { source: 'contracts/VaultHook.sol', name: 'VaultHook' },
  { source: 'contracts/test/ReentrantToken.sol', name: 'ReentrantToken' },
] as const;

export const SOLC_SETTINGS = {
  evmVersion: 'cancun',
  optimizer: { enabled: true, runs: 200 },
  outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
} as const;

/** What contracts/artifacts/<name>.json holds. */
export interface SolidityArtifact {
  contractName: string;
  sourceName: string;
  compiler: { version: string; settings: typeof SOLC_SETTINGS };
  abi: unknown[];
  bytecode: string;
  deployedBytecode: string;
}

interface Solc {
  version(): string;
  compile(input: string, callbacks: { import: (path: string) => { contents: string } | { error: string } }): string;
}

const require = createRequire(import.meta.url);

const outputSchema = z.object({
  errors: z.array(z.object({ severity: z.string(), formattedMessage: z.string() })).optional(),
  contracts: z
    .record(z.string(), z.record(z.string(), z.object({
      abi: z.array(z.unknown()),
      evm: z.object({ bytecode: z.object({ object: z.string() }), deployedBytecode: z.object({ object: z.string() }) }).optional(),
    })))
    .optional(),
});

export class SolidityCompileError extends Error {
  override readonly name = 'SolidityCompileError';
}

function solidityFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'artifacts') out.push(...solidityFiles(path));
    else if (entry.isFile() && entry.name.endsWith('.sol')) out.push(path);
  }
  return out.sort();
}

/** Resolves an import such as "@openzeppelin/contracts/token/ERC20/ERC20.sol" in node_modules. */
function readImport(path: string): { contents: string } | { error: string } {
  const m = /^(@[^/]+\/[^/]+|[^@/][^/]*)\/(.+)$/.exec(path);
  if (m === null) return { error: `unresolvable import ${path}` };
  try {
    const pkgDir = dirname(require.resolve(`${m[1]}/package.json`));
    return { contents: readFileSync(join(pkgDir, m[2]!), 'utf8') };
  } catch (err) {
    return { error: `cannot read ${path}: ${(err as Error).message}` };
  }
}

/** Compiles contracts/ and returns the kept artifacts by contract name. */
export function compileContracts(): Map<string, SolidityArtifact> {
  const solc = require('solc') as Solc;
  const sources: Record<string, { content: string }> = {};
  for (const file of solidityFiles(CONTRACTS_DIR)) {
    sources[relative(REPO_ROOT, file).split(sep).join('/')] = { content: readFileSync(file, 'utf8') };
  }
  const input = { language: 'Solidity', sources, settings: SOLC_SETTINGS };
  const output = outputSchema.parse(JSON.parse(solc.compile(JSON.stringify(input), { import: readImport })));
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
  if (errors.length > 0) throw new SolidityCompileError(errors.map((e) => e.formattedMessage).join('\n'));
  const version = solc.version();
  const artifacts = new Map<string, SolidityArtifact>();
  for (const { source, name } of BUILT_CONTRACTS) {
    const c = output.contracts?.[source]?.[name];
    if (c?.evm === undefined) throw new SolidityCompileError(`${source}:${name} missing from solc output`);
    artifacts.set(name, {
      contractName: name,
      sourceName: source,
      compiler: { version, settings: SOLC_SETTINGS },
      abi: c.abi,
      bytecode: `0x${c.evm.bytecode.object}`,
      deployedBytecode: `0x${c.evm.deployedBytecode.object}`,
    });
  }
  return artifacts;
}

/** An artifact as written to disk (stable JSON, newline-terminated). */
export function artifactJson(artifact: SolidityArtifact): string {
  return `${JSON.stringify(artifact, null, 2)}\n`;
}
