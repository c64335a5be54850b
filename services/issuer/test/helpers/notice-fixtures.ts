/**
 * What the notices and insurance tests share: installations completed straight through the store with a
 * real record (device key P-256) or a real smartphone user-authentication certificate (RSA-2048), their
 * private keys kept for the proofs, and a reader of server-sent events that takes a stream one event at a
 * time.
 */
import { createHash, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { signAuthChallenge } from '@mynakit/jpki';
import { issueSandboxUserAuthenticationCertificate } from '../../src/ca/jpki-certificates.js';
import { calendarDateOf } from '../../src/cards/card-validity.js';
import { jpkiMunicipalityOf } from '../../src/cards/municipality.js';
import { noticeProofMessage } from '../../src/notices/subscription-proof.js';
import { RECORD_CONFIGURATION_ID } from '../../src/oid4vci/metadata.js';
import { issueRecord } from '../../src/records/issue-record.js';
import { recordNameSpaces } from '../../src/records/record-name-spaces.js';
import type { InstallationFamily } from '../../src/store/index.js';
import type { TestIssuer } from './installation-fixtures.js';

/** A completed installation and the private key of its one credential. */
export interface TestInstallation {
  readonly installationId: string;
  readonly credentialId: string;
  readonly privateKey: KeyObject;
  /** DER of the certificate (user-authentication installations). */
  readonly certificate?: Uint8Array;
}

/** Completes an installation holding only a record bound to a fresh P-256 device key. */
export async function installationWithRecord(
  t: TestIssuer,
  residentId: string,
  family: InstallationFamily = 'iphone',
): Promise<TestInstallation> {
  const now = t.clock();
  const resident = await t.store.residents.get(residentId);
  if (!resident) throw new Error('no resident');
  const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const record = await issueRecord(t.hierarchy, {
    docType: RECORD_CONFIGURATION_ID,
    nameSpaces: recordNameSpaces(resident, now),
    deviceKey: pair.publicKey,
    now,
  });
  const inst = await t.store.installations.begin({ residentId, family }, now.getTime());
  const done = await t.store.installations.complete(inst.id, [record.credential], { now: now.getTime() });
  return {
    installationId: inst.id,
    credentialId: done.credentials[0]?.id as string,
    privateKey: pair.privateKey,
  };
}

/** Completes an installation holding only a smartphone user-authentication certificate (RSA-2048). */
export async function installationWithAuthCertificate(
  t: TestIssuer,
  residentId: string,
  family: InstallationFamily = 'android',
): Promise<TestInstallation & { certificate: Uint8Array }> {
  const now = t.clock();
  const resident = await t.store.residents.get(residentId);
  if (!resident) throw new Error('no resident');
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const issued = await issueSandboxUserAuthenticationCertificate(
    t.hierarchy,
    {
      birthDate: calendarDateOf(resident.birthDate),
      municipality: jpkiMunicipalityOf(resident.municipalityCode),
    },
    { publicKey: pair.publicKey, issuedAt: now },
  );
  const inst = await t.store.installations.begin({ residentId, family }, now.getTime());
  const done = await t.store.installations.complete(
    inst.id,
    [
      {
        kind: 'jpki-auth',
        serial: issued.serialNumber,
        notAfter: issued.notAfter.getTime(),
        bytes: issued.der,
      },
    ],
    { now: now.getTime() },
  );
  return {
    installationId: inst.id,
    credentialId: done.credentials[0]?.id as string,
    privateKey: pair.privateKey,
    certificate: issued.der,
  };
}

/** An ES256 proof (r ‖ s, base64url) by a device key over the notices' signed bytes. */
export function es256Proof(
  key: KeyObject,
  origin: string,
  installationId: string,
  challenge: string,
): { alg: 'ES256'; signature: string } {
  const message = noticeProofMessage(origin, installationId, challenge);
  const signature = sign('sha256', message, { key, dsaEncoding: 'ieee-p1363' });
  return { alg: 'ES256', signature: signature.toString('base64url') };
}

/**
 * An RS256 proof made the way a JPKI key makes it: the phone hands the key DigestInfo(SHA-256, SHA-256(M))
 * (signAuthChallenge pads and exponentiates what it is given).
 */
export function rs256Proof(
  key: KeyObject,
  origin: string,
  installationId: string,
  challenge: string,
): { alg: 'RS256'; signature: string } {
  const digest = createHash('sha256')
    .update(noticeProofMessage(origin, installationId, challenge))
    .digest();
  return { alg: 'RS256', signature: Buffer.from(signAuthChallenge(digest, key)).toString('base64url') };
}

/** One server-sent event as parsed (WHATWG HTML §9.2.6: field lines, a blank line ends the event). */
export interface SseEvent {
  readonly id?: string;
  readonly event?: string;
  readonly data: string;
  readonly retry?: number;
}

/** Reads a text/event-stream body one event at a time (comment lines are counted, not returned). */
export class SseReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #decoder = new TextDecoder();
  #buffer = '';
  /** Comment lines seen (heartbeats). */
  comments = 0;
  /** Whether the server ended the stream. */
  done = false;

  constructor(body: ReadableStream<Uint8Array>) {
    this.#reader = body.getReader();
  }

  /** The next event, or undefined when the stream ended first. Rejects after `timeoutMs` without one. */
  async next(timeoutMs = 10_000): Promise<SseEvent | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const end = this.#buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = this.#buffer.slice(0, end);
        this.#buffer = this.#buffer.slice(end + 2);
        const event = this.#parse(block);
        if (event) return event;
        continue;
      }
      if (this.done) return undefined;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('no event in time');
      let timer: NodeJS.Timeout | undefined;
      const chunk = await Promise.race([
        this.#reader.read(),
        new Promise<'timeout'>((resolve) => {
          timer = setTimeout(() => resolve('timeout'), left);
        }),
      ]);
      clearTimeout(timer);
      if (chunk === 'timeout') throw new Error('no event in time');
      if (chunk.done) this.done = true;
      else this.#buffer += this.#decoder.decode(chunk.value, { stream: true });
    }
  }

  /** The next event whose `event` is not `ready`. */
  async nextNotice(timeoutMs = 10_000): Promise<SseEvent | undefined> {
    for (;;) {
      const e = await this.next(timeoutMs);
      if (e === undefined || e.event !== 'ready') return e;
    }
  }

  /** Cancels the stream (the client leaves). */
  async cancel(): Promise<void> {
    await this.#reader.cancel().catch(() => undefined);
  }

  #parse(block: string): SseEvent | undefined {
    let id: string | undefined;
    let event: string | undefined;
    let retry: number | undefined;
    const data: string[] = [];
    let fields = 0;
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) {
        this.comments++;
        continue;
      }
      const colon = line.indexOf(':');
      const name = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      fields++;
      if (name === 'id') id = value;
      else if (name === 'event') event = value;
      else if (name === 'data') data.push(value);
      else if (name === 'retry') retry = Number(value);
    }
    if (fields === 0) return undefined;
    return {
      data: data.join('\n'),
      ...(id === undefined ? {} : { id }),
      ...(event === undefined ? {} : { event }),
      ...(retry === undefined ? {} : { retry }),
    };
  }
}
