/**
 * Hostile documents for the channel verifiers: a genuine IssuerSigned whose MSO is changed and signed
 * again with the document signer's key (so issuer authentication passes and verification goes on to
 * the MSO's contents), and DeviceResponses carrying device-signed namespaces of any name.
 */
import type { KeyObject } from 'node:crypto';
import { type CborMap, type CborValue, decode, EncodedCbor, encode } from '@mynakit/cbor';
import { signSign1 } from '@mynakit/cose';
import type { IssuerChain } from './fixtures.js';

/** `issuerSigned` with `edit` applied to its MSO, issuerAuth signed again by the DS key (ES256, x5chain). */
export async function reSignedIssuerSigned(
  issuerSigned: Uint8Array,
  chain: IssuerChain,
  edit: (mso: CborMap) => void,
): Promise<Uint8Array> {
  const doc = decode(issuerSigned) as CborMap;
  const issuerAuth = doc.get('issuerAuth') as CborValue[];
  const payload = decode(issuerAuth[2] as Uint8Array) as EncodedCbor;
  const mso = payload.decode() as CborMap;
  edit(mso);
  const sign1 = await signSign1({
    protectedHeaders: new Map<CborValue, CborValue>([[1, -7]]),
    unprotectedHeaders: new Map<CborValue, CborValue>([[33, chain.ds.der]]),
    payload: encode(EncodedCbor.of(mso)),
    key: chain.dsKey as KeyObject,
  });
  doc.set('issuerAuth', decode(sign1.encode()));
  return encode(doc);
}
