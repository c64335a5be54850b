import type { SandboxHierarchy } from './ca/index.js';
import type { KeySource } from './keys/index.js';
import type { NoticeSettings } from './notices/notice-settings.js';
import type { RevocationHub } from './revocation/revocation-hub.js';
import type { IssuerStore } from './store/index.js';

/** What the issuer's deployment decides; nothing here is read from the environment by the app itself. */
export interface IssuerConfig {
  /**
   * The credential issuer identifier = the service's origin (OpenID4VCI §12.2.1), e.g. `https://issuer.example`.
   * OpenID4VCI requires https; `http:` is accepted only on a loopback host, and only when `sandbox` is true.
   */
  readonly origin: string;
  /** Sandbox mode: test residents, their card files and the sandbox operator routes exist. */
  readonly sandbox: boolean;
  /** Where the sandbox writes the test residents' card files (the "physical cards"); sandbox only. */
  readonly cardDirectory?: string;
  /** Bearer token for the operator routes (`/residents` writes); absent: those routes answer 401. */
  readonly adminToken?: string;
  /** Largest request body accepted, bytes (default 64 KiB). */
  readonly maxBodyBytes?: number;
  /** Bounds and timings of the phones' notices stream (src/notices/notice-settings.ts has the defaults). */
  readonly notices?: NoticeSettings;
  /**
   * The built operator console (`npm run build:pages` writes it); default: `dist-pages/console` of this
   * package. The only files the app reads of its own: static, public, listed once (src/console/routes.ts).
   */
  readonly consoleDir?: string;
}

/**
 * Everything a route needs, passed in — the app reads no clock, environment or file of its own, so tests
 * drive it with `app.request()` and a fixed clock.
 */
export interface IssuerDeps {
  readonly store: IssuerStore;
  readonly keySource: KeySource;
  readonly hierarchy: SandboxHierarchy;
  readonly config: IssuerConfig;
  /** The current instant. */
  readonly clock: () => Date;
  /** Fills a buffer with random bytes (default crypto.getRandomValues). */
  readonly random?: (bytes: Uint8Array) => Uint8Array;
  /** One line per request, no personal data (default: nothing is written). */
  readonly log?: (line: string) => void;
  /**
   * Committed status changes fan out here to this process's publishers and notice streams (default: one
   * created by createIssuerApp). Pass the same hub to every app of one process that shares a store.
   */
  readonly hub?: RevocationHub;
}
