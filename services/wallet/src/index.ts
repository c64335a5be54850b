/** @mynakit/wallet — the wallet engine: a phone that holds the card-substitute record and the JPKI keys. */
export * from './device/wallet-device.js';
export { WalletError, type WalletErrorCode } from './errors.js';
export * from './secrets/index.js';
export * from './secure-area/index.js';
export * from './store/index.js';
export * from './card/sandbox-card.js';
export * from './installation/index.js';
export * from './app/card-shelf.js';
export type { EmulatorInstallation } from './app/install-routes.js';
export * from './app/issuer-status.js';
export * from './app/phone-summary.js';
export { renderPhonesPage } from './app/phone-page.js';
export { createWalletApp, type WalletAppDeps } from './app/wallet-app.js';
export * from './server.js';
export * from './notices/index.js';
export * from './presentation/annex-c-presentation.js';
export * from './jpki-use/jpki-use.js';
export * from './presentation/openid4vp-presentation.js';
