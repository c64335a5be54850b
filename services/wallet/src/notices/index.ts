/** Notices from the issuer: subscribing with a key of the installation, reading the stream, applying it. */
export * from './apply-notice.js';
export * from './notice-subscription.js';
export * from './server-sent-events.js';
export * from './sync-notices.js';
