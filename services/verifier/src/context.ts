import type { VerifierStore } from './store/verifier-store.js';

/** What the verifier's deployment decides; nothing here is read from the environment by the app itself. */
export interface VerifierConfig {
  /** The service's origin (written into the OpenAPI document), e.g. `https://verifier.example`. */
  readonly origin: string;
  /** Bearer token of the operator routes (`/relying-parties`); absent: those routes answer 401. */
  readonly adminToken?: string;
  /** Largest request body accepted, bytes (default 64 KiB). */
  readonly maxBodyBytes?: number;
}

/**
 * Everything a route needs, passed in — the app reads no clock, environment or file of its own, so tests
 * drive it with `app.request()` and a fixed clock.
 */
export interface VerifierDeps {
  readonly store: VerifierStore;
  readonly config: VerifierConfig;
  /** The current instant. */
  readonly clock: () => Date;
  /** One line per request, no personal data (default: nothing is written). */
  readonly log?: (line: string) => void;
}
