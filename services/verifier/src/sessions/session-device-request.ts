/**
 * The DeviceRequest a session sends (ISO/IEC 18013-5 §8.3.2.1.2.1), signed when the relying party has a reader
 * key: version "1.1" with `readerAuthAll` over the session's own transcript (§9.1.4; ISO/IEC 18013-7 Annex C
 * for the Digital Credentials API, the proximity transcript for a read in person) — otherwise version "1.0"
 * without reader authentication, and the session says why. One place for every channel, so that what the
 * wallet is shown as the requester never differs between them.
 */
import { buildDeviceRequest, type buildJpMncRequest } from '@mynakit/mdoc';
import { readMyNumberLegalBasis } from '@mynakit/oid4vp';
import type { ReaderSigningKey } from '../relying-parties/reader-key.js';

/** How the session's request authenticates its reader (ISO/IEC 18013-5 §9.1.4). */
export type SessionReaderAuthentication =
  | {
      /** Signed: DeviceRequest "1.1" with readerAuthAll. */
      readonly form: 'readerAuthAll';
      /** The reader certificate's subject: who the wallet shows as asking. */
      readonly readerCertificateSubject: string;
      /** The certificate declares a legal basis to receive My Number (what the wallet checks). */
      readonly myNumberLegalBasisDeclared: boolean;
    }
  | {
      /** Unsigned: DeviceRequest "1.0" without reader authentication. */
      readonly form: 'none';
      /** Why: the relying party has no reader key installed. */
      readonly reason: string;
    };

/** The DeviceRequest of one document request, signed with `reader` over `sessionTranscriptBytes` when given. */
export function sessionDeviceRequest(
  itemsRequest: ReturnType<typeof buildJpMncRequest>,
  reader: ReaderSigningKey | undefined,
  sessionTranscriptBytes: Uint8Array,
): { readonly deviceRequest: Uint8Array; readonly readerAuthentication: SessionReaderAuthentication } {
  if (reader === undefined)
    return {
      deviceRequest: buildDeviceRequest({ docRequests: [itemsRequest] }),
      readerAuthentication: { form: 'none', reason: 'the relying party has no reader key installed' },
    };
  return {
    deviceRequest: buildDeviceRequest({
      version: '1.1',
      docRequests: [itemsRequest],
      readerAuth: {
        key: reader.privateKey,
        certificateChain: reader.certificateChain,
        sessionTranscriptBytes,
        scope: 'all',
      },
    }),
    readerAuthentication: {
      form: 'readerAuthAll',
      readerCertificateSubject: reader.certificate.subject,
      myNumberLegalBasisDeclared: readMyNumberLegalBasis(reader.certificate).declared,
    },
  };
}
