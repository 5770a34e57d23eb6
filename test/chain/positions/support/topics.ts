import { id } from 'ethers';

/** topic0 of ERC721/ERC20 Transfer(address,address,uint256). */
export const NFT_TRANSFER_TOPIC_FOR_TESTS = id('Transfer(address,address,uint256)');
