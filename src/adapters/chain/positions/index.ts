// Positions through the Uniswap v4 PositionManager.
export * from './abi.js';
export * from './actions.js';
export * from './ownership.js';
export * from './permit2.js';
export * from './positionAmounts.js';
export * from './positionInfo.js';
export * from './positionManager.js';
