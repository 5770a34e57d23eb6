// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {IHooks} from "@uniswap/v4-core/src/interfaces/IHooks.sol";
import {PoolKey} from "@uniswap/v4-core/src/types/PoolKey.sol";
import {PoolId, PoolIdLibrary} from "@uniswap/v4-core/src/types/PoolId.sol";
import {BalanceDelta, BalanceDeltaLibrary} from "@uniswap/v4-core/src/types/BalanceDelta.sol";
import {ModifyLiquidityParams} from "@uniswap/v4-core/src/types/PoolOperation.sol";
import {IVaultPositionManager} from "./interfaces/IVaultPositionManager.sol";

/// @title VaultHook
/// @notice A Uniswap v4 hook (afterAddLiquidity + afterRemoveLiquidity, address flags 0x0500) on
/// the vault's pool. For liquidity the vault changes through PositionManager it emits
/// PositionCreated / PositionRebalanced (the vault says which in hookData) and FeesCollected
/// (the fees PoolManager credited the position). Other LPs' liquidity passes silently.
/// @dev The vault is identified by PositionManager.msgSender() (the account inside
/// modifyLiquidities), so nobody else can make the hook emit the vault's events.
contract VaultHook {
    using PoolIdLibrary for PoolKey;

    /// @dev hookData kinds the vault sends on a mint.
    uint8 internal constant KIND_CREATE = 1;
    uint8 internal constant KIND_REBALANCE = 2;

    address public immutable poolManager;
    address public immutable positionManager;
    /// @notice May bind the vault, once.
    address public immutable binder;
    address public vault;

    event PositionCreated(PoolId indexed poolId, uint256 indexed tokenId, int24 tickLower, int24 tickUpper, uint128 liquidity);
    event PositionRebalanced(
        PoolId indexed poolId, uint256 indexed oldTokenId, uint256 indexed newTokenId, int24 tickLower, int24 tickUpper, uint128 liquidity
    );
    event FeesCollected(PoolId indexed poolId, uint256 indexed tokenId, uint256 fees0, uint256 fees1);
    event VaultBound(address vault);

    error NotPoolManager();
    error NotBinder();
    error AlreadyBound();

    constructor(address poolManager_, address positionManager_, address binder_) {
        poolManager = poolManager_;
        positionManager = positionManager_;
        binder = binder_;
    }

    function bindVault(address vault_) external {
        if (msg.sender != binder) revert NotBinder();
        if (vault != address(0)) revert AlreadyBound();
        vault = vault_;
        emit VaultBound(vault_);
    }

    function afterAddLiquidity(
        address sender,
        PoolKey calldata key,
        ModifyLiquidityParams calldata params,
        BalanceDelta,
        BalanceDelta feesAccrued,
        bytes calldata hookData
    ) external returns (bytes4, BalanceDelta) {
        if (msg.sender != poolManager) revert NotPoolManager();
        if (hookData.length == 64 && _fromVault(sender)) _onVaultMint(key.toId(), params, feesAccrued, hookData);
        return (IHooks.afterAddLiquidity.selector, BalanceDeltaLibrary.ZERO_DELTA);
    }

    function afterRemoveLiquidity(
        address sender,
        PoolKey calldata key,
        ModifyLiquidityParams calldata params,
        BalanceDelta,
        BalanceDelta feesAccrued,
        bytes calldata
    ) external returns (bytes4, BalanceDelta) {
        if (msg.sender != poolManager) revert NotPoolManager();
        if (_fromVault(sender)) _emitFees(key.toId(), uint256(params.salt), feesAccrued);
        return (IHooks.afterRemoveLiquidity.selector, BalanceDeltaLibrary.ZERO_DELTA);
    }

    function _onVaultMint(PoolId id, ModifyLiquidityParams calldata params, BalanceDelta feesAccrued, bytes calldata hookData)
        internal
    {
        (uint8 kind, uint256 oldTokenId) = abi.decode(hookData, (uint8, uint256));
        uint256 tokenId = uint256(params.salt);
        uint128 liquidity = uint128(uint256(params.liquidityDelta));
        if (kind == KIND_CREATE) {
            emit PositionCreated(id, tokenId, params.tickLower, params.tickUpper, liquidity);
        } else if (kind == KIND_REBALANCE) {
            emit PositionRebalanced(id, oldTokenId, tokenId, params.tickLower, params.tickUpper, liquidity);
        }
        _emitFees(id, tokenId, feesAccrued);
    }

    function _emitFees(PoolId id, uint256 tokenId, BalanceDelta fees) internal {
        int128 f0 = fees.amount0();
        int128 f1 = fees.amount1();
        if (f0 > 0 || f1 > 0) {
            emit FeesCollected(id, tokenId, f0 > 0 ? uint256(uint128(f0)) : 0, f1 > 0 ? uint256(uint128(f1)) : 0);
        }
    }

    function _fromVault(address sender) internal view returns (bool) {
        return sender == positionManager && vault != address(0) && IVaultPositionManager(positionManager).msgSender() == vault;
    }
}
