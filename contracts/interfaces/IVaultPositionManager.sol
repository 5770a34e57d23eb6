// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

/// @notice The part of Uniswap v4-periphery's PositionManager the vault and its hook call.
interface IVaultPositionManager {
    function modifyLiquidities(bytes calldata unlockData, uint256 deadline) external payable;
    function nextTokenId() external view returns (uint256);
    function getPositionLiquidity(uint256 tokenId) external view returns (uint128 liquidity);
    /// @notice The account that called modifyLiquidities, while it runs (IMsgSender).
    function msgSender() external view returns (address);
}

/// @notice Permit2's allowance call (PositionManager pulls ERC20s through Permit2).
interface IPermit2Allowance {
    function approve(address token, address spender, uint160 amount, uint48 expiration) external;
}
