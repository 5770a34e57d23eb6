import { Contract, ZeroAddress, getAddress, type Provider } from 'ethers';
import { ERC20_ABI } from './abi/erc20.js';

/** An ERC-20 (or native ETH, address(0)) as the agent needs to know it. */
export interface TokenMetadata {
  address: string;
  symbol: string;
  name: string;
  decimals: number;
}

/** v4 represents native ETH as currency address(0). */
export const NATIVE_CURRENCY: TokenMetadata = { address: ZeroAddress, symbol: 'ETH', name: 'Ether', decimals: 18 };

/** Reads symbol, name and decimals of a token; address(0) yields native ETH without a call. */
export async function getTokenMetadata(provider: Provider, token: string): Promise<TokenMetadata> {
  const address = getAddress(token);
  if (address === ZeroAddress) return NATIVE_CURRENCY;
  const c = new Contract(address, ERC20_ABI, provider);
  const [symbol, name, decimals] = await Promise.all([
    c.getFunction('symbol').staticCall() as Promise<string>,
    c.getFunction('name').staticCall() as Promise<string>,
    c.getFunction('decimals').staticCall() as Promise<bigint>,
  ]);
  return { address, symbol, name, decimals: Number(decimals) };
}

/** Returns `owner`'s raw balance of `token` (native ETH for address(0)), at `blockTag` or latest. */
export async function getTokenBalance(provider: Provider, token: string, owner: string, blockTag: number | string = 'latest'): Promise<bigint> {
  const address = getAddress(token);
  if (address === ZeroAddress) return provider.getBalance(owner, blockTag);
  const c = new Contract(address, ERC20_ABI, provider);
  return (await c.getFunction('balanceOf').staticCall(owner, { blockTag })) as bigint;
}
