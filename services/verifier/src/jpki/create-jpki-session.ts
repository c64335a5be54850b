/**
 * Opening a JPKI session: for user authentication a fresh 32-byte challenge (@mynakit/jpki createChallenge;
 * DOMAIN.md §3 — the holder's auth key signs DigestInfo(SHA-256, challenge)); for a signature the exact
 * bytes of the document the holder will sign (the application text the relying party shows), kept so the
 * answer can be checked against exactly them. Both live at most MAX_SESSION_TTL_SECONDS and are answered
 * once (jpki-session-repository.ts).
 *
 * Both keep what the customer declared (sessions/customer-declaration.ts). Under 犯収法 a signature session
 * is a 取引時確認 (カ / 新ヌ) and needs the purpose of the transaction and the occupation; a user
 * authentication names no person and takes them only when given.
 */
import { createChallenge } from '@mynakit/jpki';
import type { VerifierDeps } from '../context.js';
import { VerifierError } from '../errors.js';
import { MAX_SESSION_TTL_SECONDS } from '../sessions/create-session.js';
import { type CustomerDeclarationInput, customerDeclarationFor } from '../sessions/customer-declaration.js';
import type { RpCaller } from '../store/relying-party-repository.js';
import { newId } from '../store/store-support.js';
import { sha256Hex } from './jpki-record-content.js';
import { type JpkiSessionKind, JpkiSessionRepository } from './jpki-session-repository.js';

/** Largest document a signature session takes, bytes (an application form; it is kept in the record). */
export const MAX_SIGNED_DOCUMENT_BYTES = 16 * 1024;

/** What POST /sessions/jpki-authentication answers. */
export interface CreatedJpkiAuthenticationSession {
  readonly sessionId: string;
  /** The 32 random bytes, base64url, for the phone's auth key. */
  readonly challenge: string;
  /** ISO 8601. */
  readonly expiresAt: string;
}

/** What POST /sessions/jpki-signature answers. */
export interface CreatedJpkiSignatureSession {
  readonly sessionId: string;
  /** The exact bytes to sign, base64 (the document as stored: UTF-8 for a text). */
  readonly content: string;
  /** SHA-256 of those bytes, hex (what the CMS messageDigest must be). */
  readonly contentSha256: string;
  /** ISO 8601. */
  readonly expiresAt: string;
}

async function open(
  deps: VerifierDeps,
  caller: RpCaller,
  kind: JpkiSessionKind,
  purpose: string,
  content: Uint8Array,
  declared: CustomerDeclarationInput,
): Promise<{ sessionId: string; expiresAt: number; contentSha256: string }> {
  const party = await deps.store.relyingParties.get(caller.relyingPartyId);
  if (party === undefined) throw new VerifierError('VERIFIER_NOT_FOUND', 'no such relying party');
  const declaration = customerDeclarationFor(declared, {
    law: party.config.law,
    kycTransaction: kind === 'signature',
  });
  const now = deps.clock().getTime();
  const ttl = Math.min(deps.config.sessionTtlSeconds ?? MAX_SESSION_TTL_SECONDS, MAX_SESSION_TTL_SECONDS);
  const expiresAt = now + Math.max(ttl, 1) * 1000;
  const sessionId = newId();
  const contentSha256 = sha256Hex(content);
  await new JpkiSessionRepository(deps.store.db).create({
    id: sessionId,
    relyingPartyId: caller.relyingPartyId,
    credentialId: caller.credentialId,
    kind,
    purpose,
    content,
    contentSha256,
    declaration,
    createdAt: now,
    expiresAt,
  });
  return { sessionId, expiresAt, contentSha256 };
}

/** Opens a user-authentication session with a fresh challenge. */
export async function createJpkiAuthenticationSession(
  deps: VerifierDeps,
  caller: RpCaller,
  input: { readonly purpose: string } & CustomerDeclarationInput,
): Promise<CreatedJpkiAuthenticationSession> {
  const challenge = createChallenge();
  const s = await open(deps, caller, 'authentication', input.purpose, challenge, input);
  return {
    sessionId: s.sessionId,
    challenge: Buffer.from(challenge).toString('base64url'),
    expiresAt: new Date(s.expiresAt).toISOString(),
  };
}

/** Opens a signature session over `document` (at most MAX_SIGNED_DOCUMENT_BYTES). */
export async function createJpkiSignatureSession(
  deps: VerifierDeps,
  caller: RpCaller,
  input: { readonly purpose: string; readonly document: Uint8Array } & CustomerDeclarationInput,
): Promise<CreatedJpkiSignatureSession> {
  if (input.document.length === 0 || input.document.length > MAX_SIGNED_DOCUMENT_BYTES)
    throw new VerifierError(
      'VERIFIER_INVALID_INPUT',
      `the document must be 1 to ${MAX_SIGNED_DOCUMENT_BYTES} bytes`,
    );
  const s = await open(deps, caller, 'signature', input.purpose, input.document, input);
  return {
    sessionId: s.sessionId,
    content: Buffer.from(input.document).toString('base64'),
    contentSha256: s.contentSha256,
    expiresAt: new Date(s.expiresAt).toISOString(),
  };
}
