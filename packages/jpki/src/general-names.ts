/**
 * Reading GeneralNames (RFC 5280 §4.2.1.6) out of the extensions @mynakit/pki does not decode fully
 * (issuerAltName, AuthorityKeyIdentifier.authorityCertIssuer), with pki's DER reader:
 *
 *   GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName
 *   GeneralName ::= CHOICE {
 *        otherName                 [0]  OtherName,
 *        rfc822Name                [1]  IA5String,
 *        dNSName                   [2]  IA5String,
 *        x400Address               [3]  ORAddress,
 *        directoryName             [4]  Name,
 *        ediPartyName              [5]  EDIPartyName,
 *        uniformResourceIdentifier [6]  IA5String,
 *        iPAddress                 [7]  OCTET STRING,
 *        registeredID              [8]  OBJECT IDENTIFIER }
 *
 * The result has pki's `GeneralName` shape, so callers print it like a subjectAltName. One pass over the
 * elements: the number of names is bounded by the bytes received.
 */
import {
  type DerElement,
  DerTag,
  derChildren,
  type GeneralName,
  nameToString,
  readDer,
  readOid,
  readString,
} from '@mynakit/pki';
import { JpkiError } from './errors.js';

/** Reads the GeneralName children of `container` (a GeneralNames SEQUENCE, or an IMPLICIT [n] of it). */
export function readGeneralNamesOf(container: DerElement): GeneralName[] {
  const out: GeneralName[] = [];
  const r = derChildren(container, 'GeneralNames');
  while (!r.done) out.push(readOneGeneralName(r.next('GeneralName')));
  return out;
}

function latin1(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

function ipText(b: Uint8Array): string {
  if (b.length === 4) return Array.from(b).join('.');
  if (b.length === 16) {
    const parts: string[] = [];
    for (let i = 0; i < 16; i += 2) parts.push((((b[i] ?? 0) << 8) | (b[i + 1] ?? 0)).toString(16));
    return parts.join(':');
  }
  return Buffer.from(b).toString('hex');
}

function readOneGeneralName(el: DerElement): GeneralName {
  if (el.tagClass !== 2) throw new JpkiError('EXTENSION_MALFORMED', 'GeneralName is not context-tagged');
  switch (el.tagNumber) {
    case 0: {
      const r = derChildren(el, 'OtherName');
      const typeId = readOid(r.expect(DerTag.OID, 'type-id'));
      const inner = readDer(r.expect(0xa0, 'OtherName value').value, 'OtherName value');
      let text: string | undefined;
      try {
        text = readString(inner);
      } catch {
        text = undefined;
      }
      return { type: 'otherName', typeId, valueDer: inner.bytes, ...(text !== undefined ? { text } : {}) };
    }
    case 1:
      return { type: 'rfc822Name', value: latin1(el.value) };
    case 2:
      return { type: 'dNSName', value: latin1(el.value) };
    case 4: {
      const der = readDer(el.value, 'directoryName').bytes;
      return { type: 'directoryName', value: nameToString(der), der };
    }
    case 6:
      return { type: 'uniformResourceIdentifier', value: latin1(el.value) };
    case 7:
      return { type: 'iPAddress', value: ipText(el.value), bytes: el.value };
    case 8:
      return { type: 'registeredID', value: readOid(el) };
    case 3:
      return { type: 'x400Address', der: el.bytes };
    case 5:
      return { type: 'ediPartyName', der: el.bytes };
    default:
      throw new JpkiError('EXTENSION_MALFORMED', `unknown GeneralName tag [${el.tagNumber}]`);
  }
}
