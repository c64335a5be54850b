/** The sandbox CA hierarchy and what it issues. */
export { type CertificateStore, FileCertificateStore } from './certificate-store.js';
export {
  type IssuedJpkiCertificate,
  type IssueJpkiCertificateOptions,
  issueSandboxSignatureCertificate,
  issueSandboxUserAuthenticationCertificate,
  type JpkiMunicipality,
  type JpkiSignatureHolder,
  type JpkiUserAuthenticationHolder,
} from './jpki-certificates.js';
export {
  type CoseIssuerSigner,
  ecdsaDerToP1363,
  type SandboxMdocSigner,
  sandboxMdocSigner,
} from './mdoc-signer.js';
export {
  type EnsureSandboxHierarchyOptions,
  ensureSandboxHierarchy,
  type SandboxCertificate,
  type SandboxHierarchy,
  type SandboxJpkiCa,
  type SandboxMdocIssuer,
  type SandboxMncIssuer,
  type SandboxRoot,
} from './sandbox-hierarchy.js';
export * from './sandbox-names.js';
