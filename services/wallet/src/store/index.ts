/** The wallet's store. */
export * from './certificate-repository.js';
export * from './device-repository.js';
export * from './document-repository.js';
export * from './installation-repository.js';
export * from './notice-cursor-repository.js';
export { walletMigrations } from './migrations/index.js';
export * from './presentation-repository.js';
export type * from './schema.js';
export * from './secret-repository.js';
export * from './wallet-store.js';
