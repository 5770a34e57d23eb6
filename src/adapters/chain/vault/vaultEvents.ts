/**
 * Decoding the vault's and its hook's logs into typed events (the backend's inputs from issue 13:
 * DepositMade, WithdrawalExecuted, FeesCollected of RangeVault; PositionCreated,
 * PositionRebalanced, FeesCollected of VaultHook). A log of another contract or event is null.
 */
import { Interface, getAddress, type Log } from 'ethers';
import { LogDecodeError } from '../errors.js';
import { loadVaultArtifact } from './artifacts.js';

export type VaultEvent =
  | { kind: 'DepositMade'; user: string; assets: bigint; shares: bigint }
  | { kind: 'WithdrawalExecuted'; user: string; assets: bigint }
  | { kind: 'VaultFeesCollected'; managementFee: bigint; performanceFee: bigint }
  | { kind: 'PositionCreated'; poolId: string; tokenId: bigint; tickLower: number; tickUpper: number; liquidity: bigint }
  | { kind: 'PositionRebalanced'; poolId: string; oldTokenId: bigint; newTokenId: bigint; tickLower: number; tickUpper: number; liquidity: bigint }
  | { kind: 'PositionFeesCollected'; poolId: string; tokenId: bigint; fees0: bigint; fees1: bigint };

/** A decoded event and where it sits on the chain. */
export type PlacedVaultEvent = VaultEvent & { blockNumber: number; blockHash: string; logIndex: number; txHash: string };

export interface VaultAddresses {
  vault: string;
  hook: string;
}

let interfaces: { vault: Interface; hook: Interface } | undefined;
function ifaces(): { vault: Interface; hook: Interface } {
  interfaces ??= { vault: new Interface(loadVaultArtifact('RangeVault').abi), hook: new Interface(loadVaultArtifact('VaultHook').abi) };
  return interfaces;
}

/** Topic0 of every event decodeVaultLog understands, by emitting contract. */
export function vaultEventTopics(): { vault: string[]; hook: string[] } {
  const { vault, hook } = ifaces();
  return {
    vault: ['DepositMade', 'WithdrawalExecuted', 'FeesCollected'].map((n) => vault.getEvent(n)!.topicHash),
    hook: ['PositionCreated', 'PositionRebalanced', 'FeesCollected'].map((n) => hook.getEvent(n)!.topicHash),
  };
}

function decode(log: Log, addresses: VaultAddresses): VaultEvent | null {
  const from = getAddress(log.address);
  const { vault, hook } = ifaces();
  if (from === getAddress(addresses.vault)) {
    const p = vault.parseLog(log);
    if (p === null) return null;
    const a = p.args;
    if (p.name === 'DepositMade') return { kind: 'DepositMade', user: getAddress(a[0] as string), assets: a[1] as bigint, shares: a[2] as bigint };
    if (p.name === 'WithdrawalExecuted') return { kind: 'WithdrawalExecuted', user: getAddress(a[0] as string), assets: a[1] as bigint };
    if (p.name === 'FeesCollected') return { kind: 'VaultFeesCollected', managementFee: a[0] as bigint, performanceFee: a[1] as bigint };
    return null;
  }
  if (from === getAddress(addresses.hook)) {
    const p = hook.parseLog(log);
    if (p === null) return null;
    const a = p.args;
    if (p.name === 'PositionCreated') {
      return { kind: 'PositionCreated', poolId: a[0] as string, tokenId: a[1] as bigint, tickLower: Number(a[2]), tickUpper: Number(a[3]), liquidity: a[4] as bigint };
    }
    if (p.name === 'PositionRebalanced') {
      return { kind: 'PositionRebalanced', poolId: a[0] as string, oldTokenId: a[1] as bigint, newTokenId: a[2] as bigint, tickLower: Number(a[3]), tickUpper: Number(a[4]), liquidity: a[5] as bigint };
    }
    if (p.name === 'FeesCollected') return { kind: 'PositionFeesCollected', poolId: a[0] as string, tokenId: a[1] as bigint, fees0: a[2] as bigint, fees1: a[3] as bigint };
  }
  return null;
}

/** Decodes one log of the vault or its hook; null for anything else; LogDecodeError for a malformed one. */
export function decodeVaultLog(log: Log, addresses: VaultAddresses): PlacedVaultEvent | null {
  let event: VaultEvent | null;
  try {
    event = decode(log, addresses);
  } catch (err) {
    throw new LogDecodeError(`vault or hook log ${log.transactionHash}#${log.index}: ${(err as Error).message}`, log.topics, log.data);
  }
  return event === null ? null : { ...event, blockNumber: log.blockNumber, blockHash: log.blockHash, logIndex: log.index, txHash: log.transactionHash };
}
