/**
 * Test fixture for the positions adapter: a private anvil with the real v4 PoolManager,
 * StateView, test routers and tokens (test/chain/support/v4Pool.ts), plus Permit2 (runtime
 * bytecode from the v4-periphery package, etched at the canonical address) and the real
 * PositionManager. The positions are owned by a separate funded wallet (anvil account 1) so its
 * nonce sequence belongs to our TxSender alone.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ContractFactory, Contract, HDNodeWallet, Wallet, ZeroAddress, type InterfaceAbi } from 'ethers';
import { pino } from 'pino';
import { startAnvil, type TestAnvil } from '../../support/anvil.js';
import { deployV4Pool, type V4Pool } from '../../support/v4Pool.js';
import { PERMIT2_ADDRESS } from '../../../../src/adapters/chain/positions/permit2.js';
import { PositionManagerClient } from '../../../../src/adapters/chain/positions/positionManager.js';
import { TxSender } from '../../../../src/adapters/chain/tx/sender.js';
import type { TxConfigInput } from '../../../../src/adapters/chain/tx/txConfig.js';
import { mined } from '../../support/mined.js';

const require = createRequire(import.meta.url);
const PM_ARTIFACT = require('@uniswap/v4-periphery/foundry-out/PositionManager.sol/PositionManager.json') as { abi: InterfaceAbi; bytecode: { object: string } };

/** anvil's default test mnemonic; accounts 0..2 are funded by test/chain/support/anvil.ts. */
const ANVIL_MNEMONIC = 'test test test test test test test test test test test junk';
const anvilKey = (i: number): string => HDNodeWallet.fromPhrase(ANVIL_MNEMONIC, undefined, `m/44'/60'/0'/0/${i}`).privateKey;
/** anvil's default account 1: owns the positions in tests. */
export const OWNER_KEY = anvilKey(1);
/** anvil's default account 2. */
export const OTHER_KEY = anvilKey(2);

export const silentLogger = pino({ level: 'silent' });

function permit2RuntimeCode(): string {
  const path = require.resolve('@uniswap/v4-periphery/lib/permit2/test/utils/DeployPermit2.sol');
  const m = /hex"([0-9a-fA-F]+)"/.exec(readFileSync(path, 'utf8'));
  if (m === null) throw new Error(`no Permit2 bytecode in ${path}`);
  return '0x' + m[1]!;
}

export interface PositionsDevnet {
  anvil: TestAnvil;
  pool: V4Pool;
  positionManager: string;
  /** Block before the PositionManager existed (ownership scans start here). */
  deployBlock: number;
  owner: Wallet;
  /** A sender/client pair for the owner wallet. */
  newSender(config?: TxConfigInput): TxSender;
  newClient(sender?: TxSender, slippageBps?: number): PositionManagerClient;
  erc20(address: string): Contract;
  stop(): Promise<void>;
}

/** Starts anvil and deploys everything a positions test needs. */
export async function startPositionsDevnet(): Promise<PositionsDevnet> {
  const anvil = await startAnvil();
  try {
    const pool = await deployV4Pool(anvil.rpcUrl);
    await pool.provider.send('anvil_setCode', [PERMIT2_ADDRESS, permit2RuntimeCode()]);
    const deployBlock = await pool.provider.getBlockNumber();
    const pmFactory = new ContractFactory(PM_ARTIFACT.abi, PM_ARTIFACT.bytecode.object, pool.signer);
    const pm = await pmFactory.deploy(pool.poolManager, PERMIT2_ADDRESS, 300_000, ZeroAddress, ZeroAddress);
    await mined(Promise.resolve(pm.deploymentTransaction())); // not waitForDeployment: see ../../support/mined.ts
    const positionManager = await pm.getAddress();
    const owner = new Wallet(OWNER_KEY, pool.provider);
    const erc20 = (address: string): Contract => new Contract(address, [
      'function mint(address to, uint256 amount)', 'function balanceOf(address) view returns (uint256)', 'function transfer(address to, uint256 amount) returns (bool)',
    ], pool.signer);
    for (const t of [pool.token0, pool.token1]) await mined(erc20(t.address).getFunction('mint')(owner.address, 10n ** 30n));
    const newSender = (config?: TxConfigInput): TxSender => new TxSender({ signer: owner, provider: pool.provider, logger: silentLogger, config: { receiptTimeoutMs: 20_000, receiptPollMs: 20, ...config } });
    return {
      anvil, pool, positionManager, deployBlock, owner, erc20, newSender,
      newClient: (sender = newSender(), slippageBps = 50) => new PositionManagerClient({ positionManager, stateView: pool.stateView, provider: pool.provider, sender, logger: silentLogger, slippageBps }),
      async stop() { pool.destroy(); await anvil.stop(); },
    };
  } catch (e) {
    await anvil.stop();
    throw e;
  }
}
