/**
 * Using the smartphone JPKI certificates (DOMAIN.md §3), as a relying party's page or a clinic's reader
 * asks the phone to:
 *
 * - `signWithJpki` — an electronic signature: CMS SignedData (RFC 5652; signed attributes contentType,
 *   messageDigest, signingTime) over the document, by the signature key after the **signature password**
 *   (never a biometric: a phone alone must not sign). The signature certificate carries the basic four.
 * - `authenticateWithJpki` — user authentication: the user-authentication key signs DigestInfo(SHA-256,
 *   challenge) — the relying party's 32 random bytes standing as the digest, as JPKI's challenge–response
 *   does (@mynakit/jpki challengeDigestInfo) — with RSASSA-PKCS1-v1_5, after the 4-digit **auth PIN** or
 *   the owner's biometric; the answer is the certificate and the signature, which the relying party
 *   verifies against the challenge it drew.
 *
 * Both need the active certificate of that purpose (an invalidated one — revoked, superseded, or locked
 * by wrong tries — is never used), count the secret's tries in the secure area (stored, so a restart does
 * not reset them), and write one line of history (no content, no challenge) as the answer is handed over
 * (presentation/hand-off.ts: not when the requester stopped waiting). A caller that sends the answer itself
 * (a link's verifier, jpki-request.ts) passes it as `send`: it runs inside the hand-off, before the line, so
 * an answer `send` could not deliver (it throws: the verifier cannot be reached) leaves no line. The tries
 * are counted when the secret opens the key, before anything is sent, whatever becomes of the answer.
 */
import { CHALLENGE_LENGTH, challengeDigestInfo } from '@mynakit/jpki';
import { parseCertificate, signCmsWithSigner } from '@mynakit/pki';
import type { WalletDevice } from '../device/wallet-device.js';
import { WalletError } from '../errors.js';
import { type HandOff, handOffAtOnce } from '../presentation/hand-off.js';
import type { UserAuthentication } from '../secure-area/secure-area.js';
import type { WalletCertificate } from '../store/certificate-repository.js';

/** The history's channel names. */
export const JPKI_SIGNATURE_CHANNEL = 'jpki-signature';
export const JPKI_AUTHENTICATION_CHANNEL = 'jpki-user-authentication';

/** Largest document signed (a form or a contract; larger ones are signed by their hash upstream). */
export const MAX_SIGNED_CONTENT_BYTES = 10 * 1024 * 1024;

async function activeCertificate(device: WalletDevice, purpose: 'sign' | 'auth'): Promise<WalletCertificate> {
  const certificate = await device.store.certificates.active(device.id, purpose);
  if (certificate === undefined)
    throw new WalletError(
      'WALLET_NOT_FOUND',
      purpose === 'sign'
        ? 'the phone holds no signature certificate in force'
        : 'the phone holds no user-authentication certificate in force',
    );
  const secret = await device.secrets.status(purpose === 'sign' ? 'signaturePassword' : 'authPin');
  // A locked secret locks its certificate until it is installed again (DOMAIN.md §3).
  if (secret.locked)
    throw new WalletError('WALLET_SECRET_LOCKED', 'the secret of this certificate is locked');
  return certificate;
}

/** A JPKI answer: the signature and the certificate of the key that made it (DER). */
export interface JpkiAnswer {
  readonly signature: Uint8Array;
  readonly certificate: Uint8Array;
}

/**
 * Hands `answer` over — through the caller's hand-off, `send` first when given — and writes its history line
 * (no content, no challenge) with it.
 */
async function handOver(
  input: {
    readonly device: WalletDevice;
    readonly relyingParty: string;
    readonly handOff?: HandOff;
    readonly send?: (answer: JpkiAnswer) => Promise<void>;
  },
  answer: JpkiAnswer,
  channel: typeof JPKI_SIGNATURE_CHANNEL | typeof JPKI_AUTHENTICATION_CHANNEL,
): Promise<void> {
  const { device } = input;
  await (input.handOff ?? handOffAtOnce)(async () => {
    if (input.send !== undefined) await input.send(answer);
    await device.store.presentations.record({
      deviceId: device.id,
      relyingParty: input.relyingParty,
      channel,
      elements: [],
      sharedAt: device.clock(),
    });
  });
}

/** A CMS signature by the phone's signature key (see the file comment). */
export async function signWithJpki(input: {
  readonly device: WalletDevice;
  readonly content: Uint8Array;
  /** The signature password (6–16 of A–Z 0–9). */
  readonly password: string;
  /** Detached (the default) or the content inside the SignedData. */
  readonly detached?: boolean;
  /** Who asked (an origin or a name), for the history. */
  readonly relyingParty: string;
  /** How the signature leaves the phone with its history line (hand-off.ts); at once by default. */
  readonly handOff?: HandOff;
  /** Sends the answer to the requester before its line is written (undelivered: no line, see the file comment). */
  readonly send?: (answer: JpkiAnswer) => Promise<void>;
}): Promise<JpkiAnswer> {
  const { device } = input;
  if (!(input.content instanceof Uint8Array) || input.content.length > MAX_SIGNED_CONTENT_BYTES)
    throw new WalletError('WALLET_INVALID_INPUT', 'the document must be at most 10 MiB of bytes');
  const certificate = await activeCertificate(device, 'sign');
  const ticket = await device.secureArea.authenticate(certificate.keyAlias, {
    method: 'password',
    value: input.password,
  });
  const signature = await signCmsWithSigner({
    content: input.content,
    detached: input.detached ?? true,
    signer: {
      certificate: certificate.certificate,
      signer: {
        algorithm: 'sha256WithRSAEncryption',
        sign: (signedAttributes) =>
          device.secureArea.sign(certificate.keyAlias, signedAttributes, 'RS256', ticket),
      },
    },
    certificates: [parseCertificate(certificate.issuerCertificate)],
    signingTime: device.clock(),
  });
  const answer: JpkiAnswer = { signature, certificate: certificate.certificate };
  await handOver(input, answer, JPKI_SIGNATURE_CHANNEL);
  return answer;
}

/** A user authentication by the phone's user-authentication key (see the file comment). */
export async function authenticateWithJpki(input: {
  readonly device: WalletDevice;
  /** The relying party's challenge: the 32 bytes it drew. */
  readonly challenge: Uint8Array;
  /** The auth PIN (`{method: 'pin', value}`) or the owner's biometric. */
  readonly userAuthentication: UserAuthentication;
  readonly relyingParty: string;
  /** How the signature leaves the phone with its history line (hand-off.ts); at once by default. */
  readonly handOff?: HandOff;
  /** Sends the answer to the requester before its line is written (undelivered: no line, see the file comment). */
  readonly send?: (answer: JpkiAnswer) => Promise<void>;
}): Promise<JpkiAnswer> {
  const { device } = input;
  if (!(input.challenge instanceof Uint8Array) || input.challenge.length !== CHALLENGE_LENGTH)
    throw new WalletError('WALLET_INVALID_INPUT', `the challenge must be ${CHALLENGE_LENGTH} bytes`);
  if (input.userAuthentication.method === 'password')
    throw new WalletError(
      'WALLET_AUTHENTICATION_METHOD_NOT_ALLOWED',
      'the auth key opens with the PIN or a biometric',
    );
  const certificate = await activeCertificate(device, 'auth');
  const ticket = await device.secureArea.authenticate(certificate.keyAlias, input.userAuthentication);
  const signature = await device.secureArea.sign(
    certificate.keyAlias,
    challengeDigestInfo(input.challenge),
    'RSA-PKCS1-DigestInfo',
    ticket,
  );
  const answer: JpkiAnswer = { signature, certificate: certificate.certificate };
  await handOver(input, answer, JPKI_AUTHENTICATION_CHANNEL);
  return answer;
}
