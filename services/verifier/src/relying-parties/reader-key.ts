/**
 * A relying party's reader-authentication key (ISO/IEC 18013-5 §9.1.4; ISO/IEC 18013-7 Annex C requests
 * carry `readerAuthAll`, which Apple's wallet requires): a P-256 key pair the verifier makes and keeps for
 * the relying party, and the certificate chain a reader CA issued for it (the @mynakit/oid4vp reader
 * profile: EKU 1.0.18013.5.1.6, the relying party's DNS name in subjectAltName so an `x509_san_dns:` client
 * id names it, and — when the relying party has one — the certificate policy declaring its legal basis to
 * receive My Number, which is what the wallet reads).
 *
 * The way to get one, with no CLI: `createReaderKey` makes a pending key and answers its public key and a
 * PKCS #10 request (RFC 2986, signed by the key: proof of possession) for the CA; `installReaderCertificate`
 * takes the chain the CA issued, checks it fits, and makes the key the one that signs (replacing the
 * previous one). Both are the operator routes `POST /relying-parties/{id}/reader-key` and
 * `PUT /relying-parties/{id}/reader-key/certificate`.
 *
 * At rest the private key is never in the clear: it is sealed with AES-256-GCM (NIST SP 800-38D) under the
 * verifier's reader key-encryption key (VerifierConfig.readerKeyEncryptionKey):
 *
 *   sealed = 0x01 ‖ iv (12) ‖ tag (16) ‖ ciphertext(PKCS #8 DER)
 *   AAD    = "mynakit verifier reader key " ‖ relying party id ‖ " " ‖ key id
 *
 * so a sealed key moved to another relying party's or key's row fails to open. Without a key-encryption
 * key no reader key is made (VERIFIER_READER_KEY_UNAVAILABLE).
 */
import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
} from 'node:crypto';
import { checkClientIdCertificate, checkReaderAuthProfile, parseClientId } from '@mynakit/oid4vp';
import { type Certificate, createCsr, parseCertificate } from '@mynakit/pki';
import type { VerifierDeps } from '../context.js';
import { VerifierError } from '../errors.js';
import { MAX_READER_CHAIN } from '../store/reader-key-repository.js';
import { newId } from '../store/store-support.js';

const SEALED = 0x01;
const AAD_PREFIX = 'mynakit verifier reader key ';

function kekOf(deps: VerifierDeps): Buffer {
  const kek = deps.config.readerKeyEncryptionKey;
  if (kek === undefined)
    throw new VerifierError(
      'VERIFIER_READER_KEY_UNAVAILABLE',
      'no reader key-encryption key is configured: reader keys are never stored in the clear',
    );
  if (kek.length !== 32)
    throw new VerifierError(
      'VERIFIER_READER_KEY_UNAVAILABLE',
      'the reader key-encryption key must be 32 bytes',
    );
  return Buffer.from(kek.buffer, kek.byteOffset, kek.byteLength);
}

function aadOf(relyingPartyId: string, keyId: string): Buffer {
  return Buffer.from(`${AAD_PREFIX}${relyingPartyId} ${keyId}`, 'utf8');
}

/** The sealed form of a reader private key (see the file comment). */
export function sealReaderKey(
  privateKey: KeyObject,
  ids: { readonly relyingPartyId: string; readonly keyId: string },
  kek: Uint8Array,
): Uint8Array {
  if (kek.length !== 32)
    throw new VerifierError(
      'VERIFIER_READER_KEY_UNAVAILABLE',
      'the reader key-encryption key must be 32 bytes',
    );
  const der = privateKey.export({ format: 'der', type: 'pkcs8' });
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', kek, iv);
  cipher.setAAD(aadOf(ids.relyingPartyId, ids.keyId));
  const ciphertext = Buffer.concat([cipher.update(der), cipher.final()]);
  der.fill(0);
  return new Uint8Array(Buffer.concat([Buffer.of(SEALED), iv, cipher.getAuthTag(), ciphertext]));
}

/** The reader private key back; VERIFIER_READER_KEY_UNAVAILABLE when it cannot be opened. */
export function openReaderKey(
  sealed: Uint8Array,
  ids: { readonly relyingPartyId: string; readonly keyId: string },
  kek: Uint8Array,
): KeyObject {
  const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  try {
    if (bytes[0] === SEALED && bytes.length > 29 && kek.length === 32) {
      const decipher = createDecipheriv('aes-256-gcm', kek, bytes.subarray(1, 13));
      decipher.setAAD(aadOf(ids.relyingPartyId, ids.keyId));
      decipher.setAuthTag(bytes.subarray(13, 29));
      const der = Buffer.concat([decipher.update(bytes.subarray(29)), decipher.final()]);
      const key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
      der.fill(0);
      return key;
    }
  } catch (e) {
    throw new VerifierError('VERIFIER_READER_KEY_UNAVAILABLE', 'the reader key cannot be opened', {
      cause: e,
    });
  }
  throw new VerifierError('VERIFIER_READER_KEY_UNAVAILABLE', 'the reader key cannot be opened');
}

/** What `createReaderKey` answers: what the reader CA needs. */
export interface ReaderKeyRequest {
  readonly keyId: string;
  /** SubjectPublicKeyInfo DER, standard base64. */
  readonly publicKey: string;
  /** PKCS #10 request (RFC 2986) signed by the new key, standard base64 DER. */
  readonly csr: string;
  /** The DNS name the certificate must carry (from an `x509_san_dns:` client id), when there is one. */
  readonly dnsName?: string;
}

/** The DNS name an `x509_san_dns:` client id names. */
function dnsNameOf(clientId: string): string | undefined {
  try {
    const parsed = parseClientId(clientId);
    return parsed.prefix === 'x509_san_dns' ? parsed.value : undefined;
  } catch {
    return undefined;
  }
}

async function partyOf(deps: VerifierDeps, relyingPartyId: string) {
  const party = await deps.store.relyingParties.get(relyingPartyId);
  if (party === undefined) throw new VerifierError('VERIFIER_NOT_FOUND', 'no such relying party');
  return party;
}

/**
 * Makes a new pending reader key for the relying party (replacing a previous pending one; the active key
 * keeps signing until a certificate for the new one is installed) and answers its public key and CSR.
 */
export async function createReaderKey(deps: VerifierDeps, relyingPartyId: string): Promise<ReaderKeyRequest> {
  const kek = kekOf(deps);
  const party = await partyOf(deps, relyingPartyId);
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const keyId = newId();
  const dnsName = dnsNameOf(party.clientId);
  // RFC 2986: the CA decides the certificate's content; the request proposes the relying party's name and
  // (PKCS #9 extensionRequest) the DNS name its client id needs.
  const csr = createCsr({
    subject: [[{ type: 'O', value: party.name }], [{ type: 'CN', value: dnsName ?? party.name }]],
    privateKey,
    ...(dnsName === undefined
      ? {}
      : { extensions: [{ type: 'subjectAltName', names: [{ type: 'dNSName', value: dnsName }] }] }),
  });
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  await deps.store.readerKeys.putPending({
    id: keyId,
    relyingPartyId,
    publicKey: new Uint8Array(spki),
    sealedPrivateKey: sealReaderKey(privateKey, { relyingPartyId, keyId }, kek),
    createdAt: deps.clock().getTime(),
  });
  return {
    keyId,
    publicKey: spki.toString('base64'),
    csr: Buffer.from(csr).toString('base64'),
    ...(dnsName === undefined ? {} : { dnsName }),
  };
}

/** A relying party's reader key as the operator sees it (never the private key). */
export interface ReaderKeyView {
  readonly active?: {
    readonly keyId: string;
    readonly subject: string;
    readonly notAfter: string;
    /** Whether the certificate declares a legal basis to receive My Number (what the wallet reads). */
    readonly myNumberLegalBasisDeclared: boolean;
    /** Standard base64 DER, the reader certificate first. */
    readonly certificateChain: readonly string[];
  };
  readonly pending?: { readonly keyId: string; readonly publicKey: string };
}

function declaresBasis(leaf: Certificate): boolean {
  return checkReaderAuthProfile(leaf).some((c) => c.id === 'reader.my_number_basis' && c.status === 'passed');
}

/** The relying party's active and pending reader keys. */
export async function readerKeyView(deps: VerifierDeps, relyingPartyId: string): Promise<ReaderKeyView> {
  await partyOf(deps, relyingPartyId);
  const active = await deps.store.readerKeys.get(relyingPartyId, 'active');
  const pending = await deps.store.readerKeys.get(relyingPartyId, 'pending');
  const leaf = active?.certificateChain[0] ? parseCertificate(active.certificateChain[0]) : undefined;
  return {
    ...(active && leaf
      ? {
          active: {
            keyId: active.id,
            subject: leaf.subject,
            notAfter: leaf.notAfter.toISOString(),
            myNumberLegalBasisDeclared: declaresBasis(leaf),
            certificateChain: active.certificateChain.map((c) => Buffer.from(c).toString('base64')),
          },
        }
      : {}),
    ...(pending
      ? { pending: { keyId: pending.id, publicKey: Buffer.from(pending.publicKey).toString('base64') } }
      : {}),
  };
}

function invalid(message: string, cause?: unknown): never {
  throw new VerifierError(
    'VERIFIER_READER_CERTIFICATE_INVALID',
    message,
    cause === undefined ? {} : { cause },
  );
}

/**
 * Installs the chain a reader CA issued for the pending key (the reader certificate first, then any CAs
 * above it) and makes that key the one that signs. The reader certificate must certify the pending public
 * key, follow the reader-authentication profile strictly (checkReaderAuthProfile), be valid now, and —
 * for an `x509_san_dns:` or `x509_hash:` client id — be the certificate that client id names (OpenID4VP 1.0
 * §5.9.3). VERIFIER_NOT_FOUND without a pending key; VERIFIER_READER_CERTIFICATE_INVALID otherwise.
 */
export async function installReaderCertificate(
  deps: VerifierDeps,
  relyingPartyId: string,
  certificateChain: readonly Uint8Array[],
): Promise<ReaderKeyView> {
  const kek = kekOf(deps);
  const party = await partyOf(deps, relyingPartyId);
  const pending = await deps.store.readerKeys.get(relyingPartyId, 'pending');
  if (pending === undefined)
    throw new VerifierError('VERIFIER_NOT_FOUND', 'the relying party has no pending reader key');
  if (certificateChain.length === 0 || certificateChain.length > MAX_READER_CHAIN)
    invalid(`the chain holds 1 to ${MAX_READER_CHAIN} certificates`);
  let chain: Certificate[];
  try {
    chain = certificateChain.map((c) => parseCertificate(c));
  } catch (e) {
    invalid('a certificate of the chain cannot be read', e);
  }
  const leaf = chain[0] as Certificate;
  if (!Buffer.from(leaf.spkiDer).equals(Buffer.from(pending.publicKey)))
    invalid('the reader certificate is not for the pending reader key');
  const problems = checkReaderAuthProfile(leaf, { policy: 'strict' }).filter((c) => c.status === 'failed');
  if (problems.length > 0) invalid(problems.map((c) => c.detail).join('; '));
  const now = deps.clock().getTime();
  if (leaf.notBefore.getTime() > now || leaf.notAfter.getTime() < now)
    invalid('the reader certificate is not valid now');
  const clientId = parseClientId(party.clientId);
  if (clientId.prefix === 'x509_san_dns' || clientId.prefix === 'x509_hash') {
    try {
      checkClientIdCertificate(clientId, leaf);
    } catch (e) {
      invalid('the reader certificate is not the one the client id names', e);
    }
  }
  // The sealed key must open before it replaces the key that signs today.
  openReaderKey(pending.sealedPrivateKey, { relyingPartyId, keyId: pending.id }, kek);
  const activated = await deps.store.readerKeys.activate(relyingPartyId, pending.id, certificateChain, now);
  if (!activated)
    throw new VerifierError('VERIFIER_NOT_FOUND', 'the pending reader key was replaced meanwhile');
  return readerKeyView(deps, relyingPartyId);
}

/** What signs a relying party's requests: its private key and the chain for `x5chain`. */
export interface ReaderSigningKey {
  readonly privateKey: KeyObject;
  /** DER, the reader certificate first. */
  readonly certificateChain: readonly Uint8Array[];
  readonly certificate: Certificate;
}

/**
 * The relying party's active reader key, opened, or undefined when it has none (or no key-encryption key is
 * configured). A stored key that does not open is VERIFIER_READER_KEY_UNAVAILABLE: the operator must know.
 */
export async function activeReaderKey(
  deps: VerifierDeps,
  relyingPartyId: string,
): Promise<ReaderSigningKey | undefined> {
  const kek = deps.config.readerKeyEncryptionKey;
  if (kek === undefined) return undefined;
  const active = await deps.store.readerKeys.get(relyingPartyId, 'active');
  const first = active?.certificateChain[0];
  if (active === undefined || first === undefined) return undefined;
  const privateKey = openReaderKey(active.sealedPrivateKey, { relyingPartyId, keyId: active.id }, kek);
  // The stored public key and the certificate's agree (checked at install); the private key must too.
  if (
    !createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).equals(Buffer.from(active.publicKey))
  )
    throw new VerifierError(
      'VERIFIER_READER_KEY_UNAVAILABLE',
      'the reader key does not match its certificate',
    );
  return { privateKey, certificateChain: active.certificateChain, certificate: parseCertificate(first) };
}
