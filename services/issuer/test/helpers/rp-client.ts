/**
 * A relying party's client for tests of the client-authenticated endpoints (inquiry, platform status,
 * insurance): created straight in the store, with its HTTP Basic header ready to send.
 */
import type { IssuerStore } from '../../src/store/index.js';
import type { RpClientRole } from '../../src/store/rp-client-repository.js';

/** A client of the test issuer and its `Authorization: Basic …` header value. */
export interface TestRpClient {
  readonly clientId: string;
  readonly clientSecret: string;
  /** `Basic base64(clientId:clientSecret)` (RFC 7617). */
  readonly authorization: string;
}

/** The Basic header value for a client id and secret. */
export function basicAuthorization(clientId: string, clientSecret: string): string {
  return `Basic ${Buffer.from(`${clientId}:${clientSecret}`, 'utf8').toString('base64')}`;
}

/** Creates a client with these roles (at the store's clock `now`, default 0 ms after the epoch + 1). */
export async function createRpClient(
  store: IssuerStore,
  roles: readonly RpClientRole[],
  options: { name?: string; now?: number } = {},
): Promise<TestRpClient> {
  const created = await store.rpClients.create(
    { name: options.name ?? `test relying party ${roles.join('+') || 'none'}`, roles },
    options.now ?? Date.UTC(2026, 0, 1),
  );
  return {
    clientId: created.clientId,
    clientSecret: created.clientSecret,
    authorization: basicAuthorization(created.clientId, created.clientSecret),
  };
}
