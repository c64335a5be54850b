/** @mynakit/wallet — the wallet engine: a phone that holds the card-substitute record and the JPKI keys. */

export * from './app/card-shelf.js';
export * from './app/incoming-requests.js';
export type { EmulatorInstallation } from './app/install-routes.js';
export * from './app/issuer-status.js';
export type { ElementEntry, ElementView, HistoryEntry, Overview } from './app/phone-routes.js';
export * from './app/phone-summary.js';
export { createWalletApp, type WalletAppDeps } from './app/wallet-app.js';
export * from './card/sandbox-card.js';
export * from './device/wallet-device.js';
export { WalletError, type WalletErrorCode } from './errors.js';
export * from './installation/index.js';
export * from './jpki-use/jpki-request.js';
export * from './jpki-use/jpki-use.js';
export * from './notices/index.js';
export * from './presentation/annex-c-presentation.js';
export * from './presentation/hand-off.js';
export * from './presentation/openid4vp-cross-device.js';
export * from './presentation/openid4vp-presentation.js';
export * from './presentation/proximity-presentation.js';
export * from './secrets/index.js';
export * from './secure-area/index.js';
export * from './server.js';
export * from './store/index.js';
