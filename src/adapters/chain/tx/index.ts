// Sending transactions: gas caps, nonces, receipts, decoded reverts.
export * from './errors.js';
export * from './nonceSequence.js';
export * from './revertDecoder.js';
export * from './sender.js';
export * from './txConfig.js';
