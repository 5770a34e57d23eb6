// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {IPoolManager} from "@uniswap/v4-core/src/interfaces/IPoolManager.sol";
import {IHooks} from "@uniswap/v4-core/src/interfaces/IHooks.sol";
import {PoolKey} from "@uniswap/v4-core/src/types/PoolKey.sol";
import {PoolId, PoolIdLibrary} from "@uniswap/v4-core/src/types/PoolId.sol";
import {Currency} from "@uniswap/v4-core/src/types/Currency.sol";
import {BalanceDelta} from "@uniswap/v4-core/src/types/BalanceDelta.sol";
import {SwapParams} from "@uniswap/v4-core/src/types/PoolOperation.sol";
import {StateLibrary} from "@uniswap/v4-core/src/libraries/StateLibrary.sol";
import {TickMath} from "@uniswap/v4-core/src/libraries/TickMath.sol";
import {FullMath} from "@uniswap/v4-core/src/libraries/FullMath.sol";
import {SqrtPriceMath} from "@uniswap/v4-core/src/libraries/SqrtPriceMath.sol";
import {LiquidityAmounts} from "@uniswap/v4-periphery/src/libraries/LiquidityAmounts.sol";
import {IVaultPositionManager, IPermit2Allowance} from "./interfaces/IVaultPositionManager.sol";

/// @title RangeVault
/// @notice ERC-4626 vault over a Uniswap v4 pool's quote token. Deposits are held idle until the
/// strategy manager deploys them into one PositionManager position of the pool; withdrawals are
/// instant, served from idle quote and, when that is short, from the position (liquidity removed
/// pro rata and the base token sold in the pool, slippage checked on chain).
///
/// Valuation: everything (idle tokens, the position's liquidity) is valued at the reference price
/// the owner sets (an oracle role), never at the pool's spot price, so a price pushed within one
/// block does not move the share price. Every operation that touches the pool also requires the
/// spot price to be within maxDeviationBps of the reference.
///
/// Roles: the owner sets parameters, the reference price and the manager; the manager may only
/// rebalance the position (range limits, swap slippage and a net-value check enforced here) and
/// collect its fees. Neither role can move tokens anywhere but the vault and its position.
contract RangeVault is ERC4626, Ownable, ReentrancyGuard {
    using SafeERC20 for IERC20;
    using PoolIdLibrary for PoolKey;
    using StateLibrary for IPoolManager;

    uint256 internal constant BPS = 10_000;
    uint256 internal constant YEAR = 365 days;
    uint256 internal constant WAD = 1e18;
    uint256 internal constant Q96 = 2 ** 96;
    uint8 internal constant DECIMALS_OFFSET = 6;

    // PositionManager actions (v4-periphery Actions.sol).
    uint8 internal constant MINT_POSITION = 0x02;
    uint8 internal constant DECREASE_LIQUIDITY = 0x01;
    uint8 internal constant BURN_POSITION = 0x03;
    uint8 internal constant SETTLE_PAIR = 0x0d;
    uint8 internal constant TAKE_PAIR = 0x11;

    // hookData kinds for VaultHook.
    uint8 internal constant KIND_CREATE = 1;
    uint8 internal constant KIND_REBALANCE = 2;

    uint16 public constant MAX_MANAGEMENT_FEE_BPS = 500;
    uint16 public constant MAX_PERFORMANCE_FEE_BPS = 3_000;

    struct Bounds {
        /// Largest deviation of the pool's spot price from the reference price, in bps of price.
        uint16 maxDeviationBps;
        /// Largest loss a swap or a whole rebalance may cost, in bps of value at the reference price.
        uint16 maxSlippageBps;
        /// Share of the vault's value kept idle in quote for instant withdrawals.
        uint16 idleReserveBps;
        /// Narrowest and widest range the manager may choose, in ticks.
        int24 minWidth;
        int24 maxWidth;
        /// Oldest reference price deposits and rebalances accept, in seconds.
        uint32 maxPriceAge;
    }

    IPoolManager public immutable poolManager;
    IVaultPositionManager public immutable positionManager;
    IERC20 public immutable baseToken;
    bool public immutable quoteIsCurrency0;
    Currency internal immutable currency0;
    Currency internal immutable currency1;
    uint24 internal immutable poolFee;
    int24 internal immutable tickSpacing;
    IHooks internal immutable hooks;

    address public manager;
    address public feeRecipient;
    Bounds public bounds;

    uint160 public referenceSqrtPriceX96;
    uint64 public referenceUpdatedAt;

    uint16 public managementFeeBps;
    uint16 public performanceFeeBps;
    uint64 public lastFeeAccrual;
    /// @notice Highest share price (assets per 1e18 share units, virtual shares included) fees were charged at.
    uint256 public highWaterMark;

    uint256 public positionId;
    int24 public positionLower;
    int24 public positionUpper;

    event DepositMade(address indexed user, uint256 assets, uint256 shares);
    event WithdrawalExecuted(address indexed user, uint256 assets);
    event FeesCollected(uint256 managementFee, uint256 performanceFee);
    event Rebalanced(uint256 oldTokenId, uint256 newTokenId, int24 tickLower, int24 tickUpper, uint128 liquidity);
    event ReferencePriceSet(uint160 sqrtPriceX96);
    event ManagerSet(address manager);
    event BoundsSet(Bounds bounds);
    event FeesSet(uint16 managementFeeBps, uint16 performanceFeeBps, address feeRecipient);

    error NotManager();
    error NotPoolManager();
    error BadBounds();
    error FeeTooHigh();
    error BadRange(int24 tickLower, int24 tickUpper);
    error RangeMissesPrice(int24 referenceTick);
    error PriceOutOfBounds(uint160 spotSqrtPriceX96, uint160 referenceSqrtPriceX96);
    error StalePrice(uint64 updatedAt);
    error SlippageExceeded(uint256 expected, uint256 received);
    error ValueLoss(uint256 before, uint256 afterwards);
    error NothingToDeploy();
    error InsufficientLiquidity(uint256 needed, uint256 available);

    modifier onlyManager() {
        if (msg.sender != manager) revert NotManager();
        _;
    }

    constructor(
        PoolKey memory key,
        bool quoteIsCurrency0_,
        address poolManager_,
        address positionManager_,
        address permit2,
        address owner_,
        address manager_,
        uint160 referenceSqrtPriceX96_,
        Bounds memory bounds_,
        string memory name_,
        string memory symbol_
    )
        ERC4626(IERC20(Currency.unwrap(quoteIsCurrency0_ ? key.currency0 : key.currency1)))
        ERC20(name_, symbol_)
        Ownable(owner_)
    {
        poolManager = IPoolManager(poolManager_);
        positionManager = IVaultPositionManager(positionManager_);
        quoteIsCurrency0 = quoteIsCurrency0_;
        baseToken = IERC20(Currency.unwrap(quoteIsCurrency0_ ? key.currency1 : key.currency0));
        currency0 = key.currency0;
        currency1 = key.currency1;
        poolFee = key.fee;
        tickSpacing = key.tickSpacing;
        hooks = key.hooks;
        manager = manager_;
        feeRecipient = owner_;
        _setBounds(bounds_);
        _setReference(referenceSqrtPriceX96_);
        lastFeeAccrual = uint64(block.timestamp);
        highWaterMark = _sharePrice(0, 0);
        for (uint256 i = 0; i < 2; i++) {
            address token = Currency.unwrap(i == 0 ? key.currency0 : key.currency1);
            IERC20(token).forceApprove(permit2, type(uint256).max);
            IPermit2Allowance(permit2).approve(token, positionManager_, type(uint160).max, type(uint48).max);
        }
    }

    // ---------------------------------------------------------------- owner

    function setManager(address manager_) external onlyOwner {
        manager = manager_;
        emit ManagerSet(manager_);
    }

    function setBounds(Bounds calldata bounds_) external onlyOwner {
        _setBounds(bounds_);
    }

    /// @notice Sets the fees; what accrued under the old ones is charged first.
    function setFees(uint16 managementFeeBps_, uint16 performanceFeeBps_, address feeRecipient_) external onlyOwner {
        if (managementFeeBps_ > MAX_MANAGEMENT_FEE_BPS || performanceFeeBps_ > MAX_PERFORMANCE_FEE_BPS) revert FeeTooHigh();
        _accrueFees();
        managementFeeBps = managementFeeBps_;
        performanceFeeBps = performanceFeeBps_;
        feeRecipient = feeRecipient_;
        emit FeesSet(managementFeeBps_, performanceFeeBps_, feeRecipient_);
    }

    /// @notice The oracle role: the price the vault is valued at (sqrt of token1 per token0, Q64.96).
    function setReferencePrice(uint160 sqrtPriceX96) external onlyOwner {
        _accrueFees();
        _setReference(sqrtPriceX96);
    }

    // ---------------------------------------------------------------- manager

    /// @notice Moves the vault's liquidity to [tickLower, tickUpper]: removes the current position
    /// (its fees come along), optionally swaps `swapAmountIn` of one token for the other in the
    /// pool, and mints a new position with everything but the idle reserve. The range must be
    /// within the width limits and hold the reference price; the swap and the whole operation may
    /// not lose more than maxSlippageBps of value at the reference price.
    function rebalance(int24 tickLower, int24 tickUpper, bool swapZeroForOne, uint256 swapAmountIn)
        external
        onlyManager
        nonReentrant
    {
        _accrueFees();
        _requireFreshPrice();
        _requireSpotNearReference();
        _checkRange(tickLower, tickUpper);
        uint256 valueBefore = totalAssets();
        uint256 oldId = positionId;
        if (oldId != 0) {
            _burnPosition(oldId);
            positionId = 0;
        }
        if (swapAmountIn > 0) _swap(swapZeroForOne, swapAmountIn);
        (uint256 newId, uint128 liquidity) = _mintPosition(tickLower, tickUpper, oldId, valueBefore);
        uint256 valueAfter = totalAssets();
        if (valueAfter * BPS < valueBefore * (BPS - bounds.maxSlippageBps)) revert ValueLoss(valueBefore, valueAfter);
        emit Rebalanced(oldId, newId, tickLower, tickUpper, liquidity);
    }

    /// @notice Collects the position's LP fees into the vault (the hook emits FeesCollected with the amounts).
    function collectPositionFees() external nonReentrant {
        if (msg.sender != manager && msg.sender != owner()) revert NotManager();
        uint256 id = positionId;
        if (id == 0) revert NothingToDeploy();
        _decrease(id, 0);
    }

    // ---------------------------------------------------------------- ERC-4626

    function deposit(uint256 assets, address receiver) public override nonReentrant returns (uint256) {
        _beforeEntry();
        return super.deposit(assets, receiver);
    }

    function mint(uint256 shares, address receiver) public override nonReentrant returns (uint256) {
        _beforeEntry();
        return super.mint(shares, receiver);
    }

    function withdraw(uint256 assets, address receiver, address owner_) public override nonReentrant returns (uint256) {
        _accrueFees();
        return super.withdraw(assets, receiver, owner_);
    }

    function redeem(uint256 shares, address receiver, address owner_) public override nonReentrant returns (uint256) {
        _accrueFees();
        return super.redeem(shares, receiver, owner_);
    }

    /// @notice Charges the management and performance fees accrued so far (anyone may call).
    function accrueFees() external nonReentrant {
        _accrueFees();
    }

    /// @notice Assets for `shares`, net of the exit charge on the part idle quote does not cover.
    function previewRedeem(uint256 shares) public view override returns (uint256) {
        return _netOfExit(_convertToAssets(shares, Math.Rounding.Floor));
    }

    /// @notice Shares burnt to receive `assets`, the exit charge on the part from liquidity included.
    function previewWithdraw(uint256 assets) public view override returns (uint256) {
        uint256 idle = IERC20(asset()).balanceOf(address(this));
        uint256 gross = assets <= idle ? assets : idle + _grossOfExit(assets - idle);
        return _convertToShares(gross, Math.Rounding.Ceil);
    }

    function maxWithdraw(address owner_) public view override returns (uint256) {
        return previewRedeem(balanceOf(owner_));
    }

    /// @dev A withdrawal beyond idle quote is served by removing liquidity and selling base in the
    /// pool; the withdrawer bears that cost, charged up front at maxSlippageBps of that part (what
    /// the actual cost leaves over stays with the vault).
    function _netOfExit(uint256 gross) internal view returns (uint256) {
        uint256 idle = IERC20(asset()).balanceOf(address(this));
        if (gross <= idle) return gross;
        return idle + Math.mulDiv(gross - idle, BPS - bounds.maxSlippageBps, BPS);
    }

    function _grossOfExit(uint256 net) internal view returns (uint256) {
        return Math.mulDiv(net, BPS, BPS - bounds.maxSlippageBps, Math.Rounding.Ceil);
    }

    /// @notice Idle tokens plus the position's liquidity, all valued in quote at the reference price.
    /// Uncollected LP fees are not counted until collected.
    function totalAssets() public view override returns (uint256) {
        uint160 ref = referenceSqrtPriceX96;
        (uint256 q, uint256 b) = _positionAmounts(ref);
        q += IERC20(asset()).balanceOf(address(this));
        b += baseToken.balanceOf(address(this));
        return q + _baseToQuote(b, ref);
    }

    /// @notice Share price in assets per 1e18 share units (virtual share and asset included).
    function sharePrice() external view returns (uint256) {
        return _sharePrice(totalAssets(), totalSupply());
    }

    function _decimalsOffset() internal pure override returns (uint8) {
        return DECIMALS_OFFSET;
    }

    function _deposit(address caller, address receiver, uint256 assets, uint256 shares) internal override {
        super._deposit(caller, receiver, assets, shares);
        emit DepositMade(receiver, assets, shares);
    }

    /// @dev Idle quote first; when short, liquidity is pulled pro rata and the base sold.
    function _withdraw(address caller, address receiver, address owner_, uint256 assets, uint256 shares)
        internal
        override
    {
        uint256 idle = IERC20(asset()).balanceOf(address(this));
        if (idle < assets) _raise(assets - idle);
        super._withdraw(caller, receiver, owner_, assets, shares);
        emit WithdrawalExecuted(owner_, assets);
    }

    // ---------------------------------------------------------------- fees

    function _accrueFees() internal {
        uint256 elapsed = block.timestamp - lastFeeAccrual;
        lastFeeAccrual = uint64(block.timestamp);
        uint256 supply = totalSupply();
        uint256 assets = totalAssets();
        if (supply == 0) {
            highWaterMark = _sharePrice(assets, 0);
            return;
        }
        uint256 managementFee = Math.mulDiv(assets, uint256(managementFeeBps) * elapsed, BPS * YEAR);
        uint256 price = _sharePrice(assets - managementFee, supply);
        uint256 hwm = highWaterMark;
        uint256 performanceFee;
        if (price > hwm) {
            uint256 gain = Math.mulDiv(price - hwm, supply + 10 ** DECIMALS_OFFSET, WAD);
            performanceFee = Math.mulDiv(gain, performanceFeeBps, BPS);
        }
        uint256 fee = managementFee + performanceFee;
        if (fee > 0 && fee < assets) {
            uint256 shares = Math.mulDiv(fee, supply + 10 ** DECIMALS_OFFSET, assets + 1 - fee);
            if (shares > 0) {
                _mint(feeRecipient, shares);
                emit FeesCollected(managementFee, performanceFee);
            }
        }
        uint256 after_ = _sharePrice(assets, totalSupply());
        if (after_ > hwm) highWaterMark = after_;
    }

    function _sharePrice(uint256 assets, uint256 supply) internal pure returns (uint256) {
        return Math.mulDiv(assets + 1, WAD, supply + 10 ** DECIMALS_OFFSET);
    }

    // ---------------------------------------------------------------- checks

    function _beforeEntry() internal {
        _accrueFees();
        _requireFreshPrice();
        _requireSpotNearReference();
    }

    function _setBounds(Bounds memory b) internal {
        if (
            b.maxDeviationBps == 0 || b.maxDeviationBps > 2_000 || b.maxSlippageBps > 1_000 || b.idleReserveBps > BPS
                || b.minWidth < tickSpacing || b.maxWidth < b.minWidth || b.maxPriceAge == 0
        ) revert BadBounds();
        bounds = b;
        emit BoundsSet(b);
    }

    function _setReference(uint160 sqrtPriceX96) internal {
        // getTickAtSqrtPrice reverts outside the valid range
        TickMath.getTickAtSqrtPrice(sqrtPriceX96);
        referenceSqrtPriceX96 = sqrtPriceX96;
        referenceUpdatedAt = uint64(block.timestamp);
        emit ReferencePriceSet(sqrtPriceX96);
    }

    function _requireFreshPrice() internal view {
        if (block.timestamp > uint256(referenceUpdatedAt) + bounds.maxPriceAge) revert StalePrice(referenceUpdatedAt);
    }

    function _spot() internal view returns (uint160 sqrtPriceX96) {
        (sqrtPriceX96,,,) = poolManager.getSlot0(_key().toId());
    }

    /// @dev (spot / reference) in price terms must be within 1 ± maxDeviationBps.
    function _requireSpotNearReference() internal view {
        uint160 spot = _spot();
        uint160 ref = referenceSqrtPriceX96;
        uint256 ratio = FullMath.mulDiv(FullMath.mulDiv(spot, WAD, ref), spot, ref);
        uint256 dev = bounds.maxDeviationBps;
        if (ratio * BPS > WAD * (BPS + dev) || ratio * BPS < WAD * (BPS - dev)) revert PriceOutOfBounds(spot, ref);
    }

    function _checkRange(int24 tickLower, int24 tickUpper) internal view {
        if (
            tickLower >= tickUpper || tickLower % tickSpacing != 0 || tickUpper % tickSpacing != 0
                || tickLower < TickMath.MIN_TICK || tickUpper > TickMath.MAX_TICK
                || tickUpper - tickLower < bounds.minWidth || tickUpper - tickLower > bounds.maxWidth
        ) revert BadRange(tickLower, tickUpper);
        int24 refTick = TickMath.getTickAtSqrtPrice(referenceSqrtPriceX96);
        if (refTick < tickLower || refTick >= tickUpper) revert RangeMissesPrice(refTick);
    }

    // ---------------------------------------------------------------- valuation

    function _key() internal view returns (PoolKey memory) {
        return PoolKey({currency0: currency0, currency1: currency1, fee: poolFee, tickSpacing: tickSpacing, hooks: hooks});
    }

    /// @dev (quote, base) amounts of the position's liquidity at `sqrtPriceX96`.
    function _positionAmounts(uint160 sqrtPriceX96) internal view returns (uint256 q, uint256 b) {
        uint256 id = positionId;
        if (id == 0) return (0, 0);
        uint128 liquidity = positionManager.getPositionLiquidity(id);
        uint160 sa = TickMath.getSqrtPriceAtTick(positionLower);
        uint160 sb = TickMath.getSqrtPriceAtTick(positionUpper);
        uint160 sp = sqrtPriceX96 < sa ? sa : sqrtPriceX96 > sb ? sb : sqrtPriceX96;
        // rounded down: the vault is never valued above what the liquidity holds
        uint256 a0 = SqrtPriceMath.getAmount0Delta(sp, sb, liquidity, false);
        uint256 a1 = SqrtPriceMath.getAmount1Delta(sa, sp, liquidity, false);
        return quoteIsCurrency0 ? (a0, a1) : (a1, a0);
    }

    function _baseToQuote(uint256 amount, uint160 sqrtPriceX96) internal view returns (uint256) {
        if (amount == 0) return 0;
        return quoteIsCurrency0
            ? FullMath.mulDiv(FullMath.mulDiv(amount, Q96, sqrtPriceX96), Q96, sqrtPriceX96)
            : FullMath.mulDiv(FullMath.mulDiv(amount, sqrtPriceX96, Q96), sqrtPriceX96, Q96);
    }

    function _quoteToBase(uint256 amount, uint160 sqrtPriceX96) internal view returns (uint256) {
        if (amount == 0) return 0;
        return quoteIsCurrency0
            ? FullMath.mulDiv(FullMath.mulDiv(amount, sqrtPriceX96, Q96), sqrtPriceX96, Q96)
            : FullMath.mulDiv(FullMath.mulDiv(amount, Q96, sqrtPriceX96), Q96, sqrtPriceX96);
    }

    // ---------------------------------------------------------------- liquidity

    /// @dev Frees `shortfall` quote: removes liquidity and sells base pro rata to what is needed
    /// (plus the slippage margin) out of everything that is not idle quote.
    function _raise(uint256 shortfall) internal {
        _requireSpotNearReference();
        IERC20 quote = IERC20(asset());
        uint256 idle = quote.balanceOf(address(this));
        uint256 nonIdle = totalAssets() - idle;
        if (nonIdle == 0) revert InsufficientLiquidity(shortfall, 0);
        // the withdrawer was charged maxSlippageBps on this part (see _netOfExit): free the gross
        uint256 need = Math.min(nonIdle, _grossOfExit(shortfall));
        uint256 baseBefore = baseToken.balanceOf(address(this));
        uint256 id = positionId;
        if (id != 0) {
            uint128 liquidity = positionManager.getPositionLiquidity(id);
            _decrease(id, uint128(Math.min(liquidity, Math.mulDiv(liquidity, need, nonIdle, Math.Rounding.Ceil))));
        }
        uint256 baseNow = baseToken.balanceOf(address(this));
        uint256 sell = Math.min(baseNow, baseNow - baseBefore + Math.mulDiv(baseBefore, need, nonIdle, Math.Rounding.Ceil));
        if (sell > 0) _swap(!quoteIsCurrency0, sell);
        uint256 available = quote.balanceOf(address(this));
        if (available < idle + shortfall) revert InsufficientLiquidity(idle + shortfall, available);
    }

    function _mintPosition(int24 tickLower, int24 tickUpper, uint256 oldId, uint256 value)
        internal
        returns (uint256 id, uint128 liquidity)
    {
        uint256 reserve = Math.mulDiv(value, bounds.idleReserveBps, BPS);
        uint256 q = IERC20(asset()).balanceOf(address(this));
        q = q > reserve ? q - reserve : 0;
        uint256 b = baseToken.balanceOf(address(this));
        (uint256 a0, uint256 a1) = quoteIsCurrency0 ? (q, b) : (b, q);
        liquidity = LiquidityAmounts.getLiquidityForAmounts(
            _spot(), TickMath.getSqrtPriceAtTick(tickLower), TickMath.getSqrtPriceAtTick(tickUpper), a0, a1
        );
        if (liquidity == 0) revert NothingToDeploy();
        id = positionManager.nextTokenId();
        bytes[] memory params = new bytes[](2);
        params[0] = _mintParams(tickLower, tickUpper, liquidity, a0, a1, oldId);
        params[1] = abi.encode(currency0, currency1);
        _modify(abi.encodePacked(MINT_POSITION, SETTLE_PAIR), params);
        positionId = id;
        positionLower = tickLower;
        positionUpper = tickUpper;
    }

    function _mintParams(int24 tickLower, int24 tickUpper, uint128 liquidity, uint256 a0, uint256 a1, uint256 oldId)
        internal
        view
        returns (bytes memory)
    {
        bytes memory hookData = abi.encode(oldId == 0 ? KIND_CREATE : KIND_REBALANCE, oldId);
        return abi.encode(_key(), tickLower, tickUpper, uint256(liquidity), uint128(a0), uint128(a1), address(this), hookData);
    }

    function _burnPosition(uint256 id) internal {
        bytes[] memory params = new bytes[](2);
        params[0] = abi.encode(id, uint128(0), uint128(0), bytes(""));
        params[1] = abi.encode(currency0, currency1, address(this));
        _modify(abi.encodePacked(BURN_POSITION, TAKE_PAIR), params);
    }

    function _decrease(uint256 id, uint128 liquidity) internal {
        bytes[] memory params = new bytes[](2);
        params[0] = abi.encode(id, uint256(liquidity), uint128(0), uint128(0), bytes(""));
        params[1] = abi.encode(currency0, currency1, address(this));
        _modify(abi.encodePacked(DECREASE_LIQUIDITY, TAKE_PAIR), params);
    }

    function _modify(bytes memory actions, bytes[] memory params) internal {
        positionManager.modifyLiquidities(abi.encode(actions, params), block.timestamp);
    }

    // ---------------------------------------------------------------- swaps

    /// @dev Exact-input swap in the vault's pool; the output must be worth at least
    /// (1 - maxSlippageBps) of the input at the reference price.
    function _swap(bool zeroForOne, uint256 amountIn) internal returns (uint256 out) {
        uint160 ref = referenceSqrtPriceX96;
        bool sellsQuote = zeroForOne == quoteIsCurrency0;
        uint256 fair = sellsQuote ? _quoteToBase(amountIn, ref) : _baseToQuote(amountIn, ref);
        uint256 minOut = Math.mulDiv(fair, BPS - bounds.maxSlippageBps, BPS);
        out = abi.decode(poolManager.unlock(abi.encode(zeroForOne, amountIn)), (uint256));
        if (out < minOut) revert SlippageExceeded(minOut, out);
    }

    function unlockCallback(bytes calldata data) external returns (bytes memory) {
        if (msg.sender != address(poolManager)) revert NotPoolManager();
        (bool zeroForOne, uint256 amountIn) = abi.decode(data, (bool, uint256));
        uint256 dev = bounds.maxDeviationBps;
        uint160 ref = referenceSqrtPriceX96;
        uint160 limit = zeroForOne
            ? uint160(Math.max(Math.mulDiv(ref, BPS - dev, BPS), uint256(TickMath.MIN_SQRT_PRICE) + 1))
            : uint160(Math.min(Math.mulDiv(ref, BPS + dev, BPS), uint256(TickMath.MAX_SQRT_PRICE) - 1));
        BalanceDelta delta = poolManager.swap(
            _key(), SwapParams({zeroForOne: zeroForOne, amountSpecified: -int256(amountIn), sqrtPriceLimitX96: limit}), ""
        );
        (Currency payC, Currency takeC) = zeroForOne ? (currency0, currency1) : (currency1, currency0);
        int128 paid = zeroForOne ? delta.amount0() : delta.amount1();
        int128 got = zeroForOne ? delta.amount1() : delta.amount0();
        uint256 pay = uint256(uint128(-paid));
        uint256 out = uint256(uint128(got));
        poolManager.sync(payC);
        IERC20(Currency.unwrap(payC)).safeTransfer(address(poolManager), pay);
        poolManager.settle();
        poolManager.take(takeC, address(this), out);
        return abi.encode(out);
    }
}
