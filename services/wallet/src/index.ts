/** @mynakit/wallet — the wallet engine: a phone that holds the card-substitute record and the JPKI keys. */
export * from './device/wallet-device.js';
export { WalletError, type WalletErrorCode } from './errors.js';
export * from './secrets/index.js';
export * from './secure-area/index.js';
export * from './store/index.js';
export * from './card/sandbox-card.js';
export * from './installation/index.js';
