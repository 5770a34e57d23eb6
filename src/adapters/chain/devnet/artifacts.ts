/**
 * Compiled Uniswap v4 contracts as shipped in node_modules (@uniswap/v4-core out/,
 * @uniswap/v4-periphery foundry-out/, both foundry artifacts; @uniswap/universal-router
 * artifacts/, a hardhat artifact), loaded and shape-checked with zod. Nothing is compiled
 * or re-implemented here: the devnet deploys exactly these bytes.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { InterfaceAbi } from 'ethers';
import { z } from 'zod';
import { ArtifactError } from './errors.js';

/** The artifacts the devnet deploys, by our name → package and path inside it. */
export const ARTIFACTS = {
  PoolManager: { pkg: '@uniswap/v4-core', path: 'out/PoolManager.sol/PoolManager.json' },
  PoolSwapTest: { pkg: '@uniswap/v4-core', path: 'out/PoolSwapTest.sol/PoolSwapTest.json' },
  PoolModifyLiquidityTest: { pkg: '@uniswap/v4-core', path: 'out/PoolModifyLiquidityTest.sol/PoolModifyLiquidityTest.json' },
  PoolDonateTest: { pkg: '@uniswap/v4-core', path: 'out/PoolDonateTest.sol/PoolDonateTest.json' },
  PositionManager: { pkg: '@uniswap/v4-periphery', path: 'foundry-out/PositionManager.sol/PositionManager.json' },
  StateView: { pkg: '@uniswap/v4-periphery', path: 'foundry-out/StateView.sol/StateView.json' },
  V4Quoter: { pkg: '@uniswap/v4-periphery', path: 'foundry-out/V4Quoter.sol/V4Quoter.json' },
  // solmate's MockERC20 (constructor name, symbol, decimals; public mint) as built by v4-periphery.
  MockERC20: { pkg: '@uniswap/v4-periphery', path: 'foundry-out/MockERC20.sol/MockERC20.json' },
  // solmate's WETH9-like wrapper, the native-wrapper PositionManager is constructed with.
  WETH: { pkg: '@uniswap/v4-periphery', path: 'foundry-out/WETH.sol/WETH.default.json' },
  // The Universal Router as deployed on mainnet (constructor RouterParameters); its V4_SWAP
  // command runs v4-periphery's V4Router actions.
  UniversalRouter: { pkg: '@uniswap/universal-router', path: 'artifacts/contracts/UniversalRouter.sol/UniversalRouter.json' },
} as const;

export type ArtifactName = keyof typeof ARTIFACTS;

/** Where Permit2 lives on every chain; the devnet places its runtime code there. */
export const PERMIT2_ADDRESS = '0x000000000022D473030F116dDEE9F6B43aC78BA3';

const hexSchema = z.string().regex(/^0x([0-9a-fA-F]{2})+$/, 'expected non-empty 0x-prefixed hex');

const linksSchema = z.record(z.string(), z.unknown()).optional();

/** foundry: bytecode { object, linkReferences }. */
const foundryArtifactSchema = z.object({
  abi: z.array(z.looseObject({ type: z.string() })),
  bytecode: z.object({ object: hexSchema, linkReferences: linksSchema }),
  deployedBytecode: z.object({ object: hexSchema }),
});

/** hardhat: bytecode as a string, linkReferences beside it; normalized to the foundry shape. */
const hardhatArtifactSchema = z
  .object({
    abi: z.array(z.looseObject({ type: z.string() })),
    bytecode: hexSchema,
    deployedBytecode: hexSchema,
    linkReferences: linksSchema,
  })
  .transform((a) => ({ abi: a.abi, bytecode: { object: a.bytecode, linkReferences: a.linkReferences }, deployedBytecode: { object: a.deployedBytecode } }));

const artifactSchema = z.union([foundryArtifactSchema, hardhatArtifactSchema]);

/** A contract's ABI and creation bytecode. */
export interface Artifact {
  name: string;
  abi: InterfaceAbi;
  bytecode: string;
  deployedBytecode: string;
}

const require = createRequire(import.meta.url);
const cache = new Map<string, Artifact>();

function packageDir(pkg: string, artifact: string): string {
  try {
    return dirname(require.resolve(`${pkg}/package.json`));
  } catch (err) {
    throw new ArtifactError(artifact, pkg, `package not installed (${(err as Error).message})`);
  }
}

/** Loads one artifact from node_modules, checks its shape, and caches it. */
export function loadArtifact(name: ArtifactName): Artifact {
  const hit = cache.get(name);
  if (hit !== undefined) return hit;
  const { pkg, path } = ARTIFACTS[name];
  const file = join(packageDir(pkg, name), path);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ArtifactError(name, file, `cannot read (${(err as Error).message})`);
  }
  const parsed = artifactSchema.safeParse(json);
  if (!parsed.success) throw new ArtifactError(name, file, z.prettifyError(parsed.error));
  const links = parsed.data.bytecode.linkReferences;
  if (links !== undefined && Object.keys(links).length > 0) throw new ArtifactError(name, file, 'needs library linking, which the devnet does not do');
  const artifact: Artifact = {
    name,
    abi: parsed.data.abi as InterfaceAbi,
    bytecode: parsed.data.bytecode.object,
    deployedBytecode: parsed.data.deployedBytecode.object,
  };
  cache.set(name, artifact);
  return artifact;
}

let permit2Code: string | undefined;

/**
 * Permit2's runtime bytecode, read from the hex literal in v4-periphery's
 * lib/permit2/test/utils/DeployPermit2.sol (Permit2 ships no JSON artifact there).
 */
export function loadPermit2RuntimeCode(): string {
  if (permit2Code !== undefined) return permit2Code;
  const file = join(packageDir('@uniswap/v4-periphery', 'Permit2'), 'lib/permit2/test/utils/DeployPermit2.sol');
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ArtifactError('Permit2', file, `cannot read (${(err as Error).message})`);
  }
  const m = /hex"([0-9a-fA-F]+)"/.exec(source);
  if (m === null) throw new ArtifactError('Permit2', file, 'no hex"..." bytecode literal found');
  const code = hexSchema.safeParse(`0x${m[1]}`);
  if (!code.success) throw new ArtifactError('Permit2', file, 'bytecode literal is not whole bytes');
  permit2Code = code.data;
  return permit2Code;
}
