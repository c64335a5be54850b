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
import type { KeyObject } from 'node:crypto';
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
  const spki = spkiOf(opts.publicKey ?? opts.privateKey);
  const alg = opts.signingAlgorithm ?? defaultSigningAlgorithm(opts.privateKey);
  const exts = (opts.extensions ?? []).map(encodeExtensionInput);
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
  const info = sequence(integer(0), encodeName(opts.subject), spki, implicit(0, setOf(...attributes)));
  const algId = signingAlgorithmIdentifier(alg);
  return sequence(info, algId, bitString(signData(alg, info, opts.privateKey)));
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
