/**
 * Reading members of a parsed JSON object (a JWT payload, a `status` claim, a JSON StatusList): own
 * members only. An inherited member — Object.prototype.toString, or anything another part of the
 * process added to Object.prototype — is never mistaken for a claim the issuer signed.
 */
export function own(o: object, key: string): unknown {
  return Object.hasOwn(o, key) ? (o as Record<string, unknown>)[key] : undefined;
}
