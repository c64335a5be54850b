/**
 * A software WebAuthn authenticator for the passkey tests: a real P-256 key pair, real authenticator data
 * (WebAuthn L3 §6.1: rpIdHash ‖ flags ‖ signCount ‖ attested credential data with the COSE_Key, §6.5.1),
 * real clientDataJSON (§5.8.1), attestation format `none` (§8.7) and real ES256 signatures over
 * authenticatorData ‖ SHA-256(clientDataJSON) (§6.3.3). Each ceremony can be bent the way an attacker or a
 * broken client would: another origin, another RP ID, no user verification, a chosen counter.
 */
import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { encode } from '@mynakit/cbor';

/** What a ceremony may be bent by. */
export interface CeremonyOverrides {
  /** clientDataJSON.origin (default: the origin given). */
  readonly origin?: string;
  /** The RP ID hashed into the authenticator data (default: the options' RP ID). */
  readonly rpId?: string;
  /** The UV flag (default true). */
  readonly userVerified?: boolean;
  /** The signature counter to report (default: the next one). */
  readonly counter?: number;
  /** clientDataJSON.type (default webauthn.create / webauthn.get). */
  readonly type?: string;
  /** clientDataJSON.challenge (default: the options' challenge). */
  readonly challenge?: string;
}

const b64u = (bytes: Uint8Array | Buffer) => Buffer.from(bytes).toString('base64url');
const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest();

/** One authenticator holding one credential. */
export class SoftwareAuthenticator {
  readonly credentialId: Buffer = randomBytes(16);
  readonly #privateKey: KeyObject;
  readonly #publicKey: KeyObject;
  /** The last counter reported. */
  counter = 0;
  /** The user handle of the registration (base64url). */
  userHandle: string | undefined;
  /** The RP ID of the registration. */
  rpId: string | undefined;

  constructor() {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.#privateKey = privateKey;
    this.#publicKey = publicKey;
  }

  /** The credential id, base64url. */
  get id(): string {
    return b64u(this.credentialId);
  }

  /** COSE_Key of the public key (RFC 9053 §7.1.1: kty EC2, alg ES256, crv P-256, x, y). */
  #coseKey(): Uint8Array {
    const jwk = this.#publicKey.export({ format: 'jwk' });
    return encode(
      new Map<number, number | Uint8Array>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, new Uint8Array(Buffer.from(jwk.x as string, 'base64url'))],
        [-3, new Uint8Array(Buffer.from(jwk.y as string, 'base64url'))],
      ]),
    );
  }

  #authData(rpId: string, userVerified: boolean, counter: number, attested: boolean): Buffer {
    const flags = 0x01 | (userVerified ? 0x04 : 0) | (attested ? 0x40 : 0);
    const head = Buffer.alloc(37);
    sha256(rpId).copy(head, 0);
    head[32] = flags;
    head.writeUInt32BE(counter, 33);
    if (!attested) return head;
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(this.credentialId.length);
    // AAGUID of zeros: attestation `none` (WebAuthn L3 §6.5.1).
    return Buffer.concat([head, Buffer.alloc(16), idLength, this.credentialId, this.#coseKey()]);
  }

  #clientData(type: string, challenge: string, origin: string): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }), 'utf8');
  }

  /** Answers registration options (PublicKeyCredentialCreationOptionsJSON) from `origin`. */
  register(
    options: { challenge: string; rp: { id?: string }; user: { id: string } },
    origin: string,
    o: CeremonyOverrides = {},
  ) {
    const rpId = o.rpId ?? options.rp.id ?? new URL(origin).hostname;
    const counter = o.counter ?? 0;
    const clientData = this.#clientData(
      o.type ?? 'webauthn.create',
      o.challenge ?? options.challenge,
      o.origin ?? origin,
    );
    const authData = this.#authData(rpId, o.userVerified ?? true, counter, true);
    const attestationObject = encode(
      new Map<string, unknown>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', new Uint8Array(authData)],
      ]) as never,
    );
    this.userHandle = options.user.id;
    this.rpId = rpId;
    this.counter = counter;
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key' as const,
      response: {
        clientDataJSON: b64u(clientData),
        attestationObject: b64u(attestationObject),
        transports: ['internal'],
      },
      authenticatorAttachment: 'platform' as const,
      clientExtensionResults: {},
    };
  }

  /** Answers authentication options (PublicKeyCredentialRequestOptionsJSON) from `origin`. */
  authenticate(options: { challenge: string; rpId?: string }, origin: string, o: CeremonyOverrides = {}) {
    const rpId = o.rpId ?? options.rpId ?? new URL(origin).hostname;
    const counter = o.counter ?? this.counter + 1;
    const clientData = this.#clientData(
      o.type ?? 'webauthn.get',
      o.challenge ?? options.challenge,
      o.origin ?? origin,
    );
    const authData = this.#authData(rpId, o.userVerified ?? true, counter, false);
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientData)]), this.#privateKey);
    this.counter = Math.max(this.counter, counter);
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key' as const,
      response: {
        clientDataJSON: b64u(clientData),
        authenticatorData: b64u(authData),
        signature: b64u(signature),
        ...(this.userHandle === undefined ? {} : { userHandle: this.userHandle }),
      },
      authenticatorAttachment: 'platform' as const,
      clientExtensionResults: {},
    };
  }
}
