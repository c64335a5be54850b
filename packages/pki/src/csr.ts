/**
 * PKCS #10 certification requests (RFC 2986 §4):
 *
 *   CertificationRequest ::= SEQUENCE { certificationRequestInfo CertificationRequestInfo,
 *     signatureAlgorithm AlgorithmIdentifier, signature BIT STRING }
 *   CertificationRequestInfo ::= SEQUENCE { version INTEGER { v1(0) }, subject Name,
 *     subjectPKInfo SubjectPublicKeyInfo, attributes [0] Attributes }
 *   Attribute ::= SEQUENCE { type OBJECT IDENTIFIER, values SET SIZE(1..MAX) OF ANY }
 *
 * Requested extensions travel in the PKCS #9 extensionRequest attribute (RFC 2985 §5.4.2). A CA
 * decides what to copy: `parseCsr` returns them as they were requested, never applied.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import {
  type AlgorithmIdentifier,
  defaultSigningAlgorithm,
  namedAlgorithm,
  readAlgorithmIdentifier,
  type SigningAlgorithm,
  signData,
  signingAlgorithmIdentifier,
  verifySignature,
} from './algorithm.js';
import type { CertificateSigner } from './create-certificate.js';
import { children, readBitString, readDer, readOid, readSmallInt, Tag } from './der-reader.js';
import { bitString, implicit, integer, oid, sequence, setOf } from './der-writer.js';
import { PkiError } from './errors.js';
import {
  type Extension,
  type ExtensionInput,
  encodeExtension,
  encodeExtensionInput,
  readExtensions,
} from './extensions.js';
import { publicKeyFromSpki, spkiOf } from './keys.js';
import { encodeName, type NameInput, nameToString } from './name.js';
import { OID } from './oids.js';

export interface CreateCsrOptions {
  readonly subject: NameInput;
  readonly privateKey: KeyObject;
  /** Defaults to the public half of `privateKey`. */
  readonly publicKey?: KeyObject;
  readonly extensions?: readonly ExtensionInput[];
  readonly signingAlgorithm?: SigningAlgorithm;
}

export function createCsr(opts: CreateCsrOptions): Uint8Array<ArrayBuffer> {
  const alg = opts.signingAlgorithm ?? defaultSigningAlgorithm(opts.privateKey);
  const info = certificationRequestInfo(opts.subject, opts.publicKey ?? opts.privateKey, opts.extensions);
  return sequence(info, signingAlgorithmIdentifier(alg), bitString(signData(alg, info, opts.privateKey)));
}

/** createCsr's options with the requester's key held elsewhere (a phone's secure area, an HSM). */
export interface CreateCsrWithSignerOptions {
  readonly subject: NameInput;
  /** The key the request is for: its public half, as a KeyObject or SPKI DER. */
  readonly publicKey: KeyObject | Uint8Array;
  readonly extensions?: readonly ExtensionInput[];
  /** Signs the CertificationRequestInfo with the private half of `publicKey`. */
  readonly signer: CertificateSigner;
}

/**
 * createCsr for a key that never leaves its keystore: the same CertificationRequestInfo, signed by
 * `await signer.sign(info)`. The signature is verified under `publicKey` before the request is returned
 * (the proof of possession RFC 2986 §3 makes the request carry), so a signer answering with another key
 * or encoding fails here with INVALID_ARGUMENT.
 */
export async function createCsrWithSigner(
  opts: CreateCsrWithSignerOptions,
): Promise<Uint8Array<ArrayBuffer>> {
  const publicKey =
    opts.publicKey instanceof Uint8Array
      ? publicKeyFromSpki(opts.publicKey)
      : opts.publicKey.type === 'private'
        ? createPublicKey(opts.publicKey)
        : opts.publicKey;
  const info = certificationRequestInfo(opts.subject, publicKey, opts.extensions);
  const algId = signingAlgorithmIdentifier(opts.signer.algorithm);
  const signature = await opts.signer.sign(info);
  const algorithm = readAlgorithmIdentifier(readDer(algId, 'AlgorithmIdentifier'));
  if (!verifySignature(algorithm, info, signature, publicKey))
    throw new PkiError(
      'INVALID_ARGUMENT',
      `the signer's ${opts.signer.algorithm} signature does not verify under the requested key`,
    );
  return sequence(info, algId, bitString(signature));
}

/**
 * The one CertificationRequestInfo builder of both paths (RFC 2986 §4.1):
 *
 *   CertificationRequestInfo ::= SEQUENCE { version INTEGER { v1(0) }, subject Name,
 *     subjectPKInfo SubjectPublicKeyInfo, attributes [0] IMPLICIT Attributes }
 */
function certificationRequestInfo(
  subject: NameInput,
  key: KeyObject,
  extensions: readonly ExtensionInput[] | undefined,
): Uint8Array<ArrayBuffer> {
  const exts = (extensions ?? []).map(encodeExtensionInput);
  const attributes =
    exts.length > 0
      ? [
          sequence(
            oid(OID.extensionRequest),
            setOf(sequence(...exts.map((e) => encodeExtension(e.oid, e.critical, e.value)))),
          ),
        ]
      : [];
  // attributes [0] IMPLICIT SET OF Attribute (present even when empty)
  return sequence(integer(0), encodeName(subject), spkiOf(key), implicit(0, setOf(...attributes)));
}

export interface Csr {
  readonly der: Uint8Array;
  readonly subject: string;
  readonly subjectDer: Uint8Array;
  readonly spkiDer: Uint8Array;
  readonly publicKey: KeyObject;
  /** Extensions asked for in extensionRequest. */
  readonly extensions: readonly Extension[];
  readonly signatureAlgorithm: AlgorithmIdentifier & { readonly name: string };
  /** The request is signed by the key it carries (proof of possession). */
  readonly signatureValid: boolean;
}

export function parseCsr(der: Uint8Array): Csr {
  try {
    const top = children(readDer(der, 'CertificationRequest'), 'CertificationRequest');
    const info = top.expect(Tag.SEQUENCE, 'certificationRequestInfo');
    const alg = readAlgorithmIdentifier(top.expect(Tag.SEQUENCE, 'signatureAlgorithm'));
    const sig = readBitString(top.expect(Tag.BIT_STRING, 'signature')).bytes;
    top.finish('CertificationRequest');
    const r = children(info, 'CertificationRequestInfo');
    if (readSmallInt(r.expect(Tag.INTEGER, 'version')) !== 0)
      throw new PkiError('CSR_MALFORMED', 'unknown CSR version');
    const subject = r.expect(Tag.SEQUENCE, 'subject').bytes;
    const spki = r.expect(Tag.SEQUENCE, 'subjectPKInfo').bytes;
    const attrs = r.optional(0xa0);
    let extensions: Extension[] = [];
    if (attrs) {
      const ar = children(attrs, 'attributes');
      while (!ar.done) {
        const a = children(ar.expect(Tag.SEQUENCE, 'Attribute'));
        const type = readOid(a.expect(Tag.OID, 'type'));
        const values = children(a.expect(Tag.SET, 'values'));
        if (type === OID.extensionRequest)
          extensions = readExtensions(values.expect(Tag.SEQUENCE, 'Extensions'));
      }
    }
    const publicKey = publicKeyFromSpki(spki);
    let signatureValid: boolean;
    try {
      signatureValid = verifySignature(alg, info.bytes, sig, publicKey);
    } catch {
      signatureValid = false;
    }
    return {
      der,
      subject: nameToString(subject),
      subjectDer: subject,
      spkiDer: spki,
      publicKey,
      extensions,
      signatureAlgorithm: namedAlgorithm(alg),
      signatureValid,
    };
  } catch (cause) {
    if (cause instanceof PkiError && cause.code === 'CSR_MALFORMED') throw cause;
    throw new PkiError('CSR_MALFORMED', `malformed certification request: ${(cause as Error).message}`, {
      cause,
    });
  }
}
