import { bytesToBase64url } from '@mynakit/cbor';
import { presentMdoc, type SessionTranscriptEncoding } from '@mynakit/mdoc';
import { Oid4vpError } from '../errors.js';
import { dictionary, ownValue } from '../own-keys.js';
import { heldDocumentOf, type StoredMdoc } from '../stored-mdoc.js';
import type { AuthorizationRequest } from './authorization-request.js';
import {
  type AuthorizationResponseBody,
  createAuthorizationResponse,
  type VpToken,
} from './authorization-response.js';
import { type DcqlCredentialMatch, selectForDcqlQuery } from './dcql-match.js';
import { sessionTranscriptForRequest, type TranscriptContext } from './session-transcript.js';

/**
 * Wallet side of OpenID4VP for mdoc, end to end: match the DCQL query against the stored documents,
 * let the holder's consent narrow the selection, derive the SessionTranscript the request implies,
 * make one DeviceResponse per selected document (mdoc's presentMdoc: only the selected items, exactly
 * as issued; device signature over the transcript) and wrap them in the response for the mode.
 */
export interface CreateOpenId4VpPresentationInput {
  readonly request: AuthorizationRequest;
  /** DC API modes: the origin the platform reports for the caller. */
  readonly origin?: string;
  readonly documents: readonly StoredMdoc[];
  /** The holder's decision: return the matches to disclose (default: all selected). Throwing aborts. */
  readonly consent?: (selection: readonly DcqlCredentialMatch[]) => readonly DcqlCredentialMatch[];
}

export interface OpenId4VpPresentation {
  readonly response: AuthorizationResponseBody;
  readonly vpToken: VpToken;
  readonly transcript: SessionTranscriptEncoding;
  readonly disclosed: readonly DcqlCredentialMatch[];
}

export async function createOpenId4VpPresentation(
  input: CreateOpenId4VpPresentationInput,
): Promise<OpenId4VpPresentation> {
  const held = input.documents.map((d) => heldDocumentOf(d));
  const selection = selectForDcqlQuery(input.request.dcql_query, held);
  const disclosed = input.consent ? input.consent(selection) : selection;
  if (disclosed.length === 0) throw new Oid4vpError('access_denied', 'the holder declined');
  const context: TranscriptContext = input.origin !== undefined ? { origin: input.origin } : {};
  const transcript = await sessionTranscriptForRequest(input.request, context);
  const vpToken = dictionary<string[]>();
  for (const match of disclosed) {
    const doc = input.documents.find((d) => d.id === match.documentId);
    if (!doc) throw new Oid4vpError('DCQL_NO_MATCH', `document ${match.documentId} is not held`);
    const deviceResponse = await presentMdoc({
      documents: [doc.issuerSigned],
      request: { docType: match.docType, nameSpaces: match.elements },
      sessionTranscriptBytes: transcript.sessionTranscriptBytes,
      deviceKey: doc.deviceKey,
      mode: 'signature',
    });
    let list = ownValue(vpToken, match.queryId);
    if (list === undefined) {
      list = [];
      vpToken[match.queryId] = list;
    }
    list.push(bytesToBase64url(deviceResponse));
  }
  return {
    response: await createAuthorizationResponse(input.request, vpToken),
    vpToken,
    transcript,
    disclosed,
  };
}
