/** Installing credentials from the issuer. */
export * from './add-record.js';
export * from './card-step.js';
export * from './install.js';
export * from './installation-request.js';
export * from './issuer-client.js';
export * from './issuer-notification.js';
export * from './jpki-certificates.js';
export * from './receive-credentials.js';
export * from './secure-area-csr.js';
export * from './verify-received.js';
export * from './verify-received-certificate.js';
