import { presentMdoc } from '@mynakit/mdoc';
import { Oid4vpError } from '../errors.js';
import { heldDocumentOf, type StoredMdoc } from '../stored-mdoc.js';
import { parseAnnexCRequest } from './annex-c-request.js';
import { annexCSessionTranscript, encryptAnnexCResponse } from './annex-c-response.js';

/**
 * Wallet side of Annex C, end to end: parse the `org-iso-mdoc` request, derive the dcapi transcript
 * from the EncryptionInfo string and the origin, answer the DeviceRequest with the held documents of
 * the requested docTypes (mdoc's presentMdoc, device signature), and seal the DeviceResponse.
 * Whether the request's reader authentication is good enough, and what the holder consents to, is
 * decided before this call (see `readMyNumberLegalBasis` for the reader certificate); this function
 * only produces the answer.
 */
export async function createAnnexCPresentation(input: {
  readonly data: unknown;
  readonly origin: string;
  readonly documents: readonly StoredMdoc[];
}): Promise<{ response: string }> {
  const parsed = parseAnnexCRequest(input.data);
  const transcript = annexCSessionTranscript(parsed.encryptionInfo.encoded, input.origin);
  const wanted = new Set(parsed.deviceRequest.docRequests.map((d) => d.itemsRequest.docType));
  const docs = input.documents.filter((d) => wanted.has(heldDocumentOf(d).docType));
  if (docs.length === 0) throw new Oid4vpError('DCQL_NO_MATCH', 'no held document of the requested docTypes');
  const keyOf = Object.fromEntries(docs.map((d) => [heldDocumentOf(d).docType, d.deviceKey]));
  const deviceResponse = await presentMdoc({
    documents: docs.map((d) => d.issuerSigned),
    request: parsed.deviceRequest,
    sessionTranscriptBytes: transcript.sessionTranscriptBytes,
    deviceKey: keyOf,
    mode: 'signature',
  });
  return encryptAnnexCResponse({
    deviceResponse,
    encryptionInfoB64: parsed.encryptionInfo.encoded,
    origin: input.origin,
  });
}
