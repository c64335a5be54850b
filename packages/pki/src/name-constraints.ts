/**
 * Name constraints processing (RFC 5280 §4.2.1.10, §6.1.3 (b)–(c), §6.1.4 (g)).
 *
 * Supported name forms: directoryName (RDN prefix match, §7.1 comparison), dNSName (whole labels),
 * rfc822Name (mailbox, host or `.domain`; the subject's emailAddress attribute is checked too),
 * uniformResourceIdentifier (by host) and iPAddress (address/mask). A constraint on any other form
 * (otherName, x400Address, ediPartyName, registeredID) cannot be evaluated and makes the check fail:
 * a constraint we do not understand must not be silently ignored.
 */

import type { Certificate } from './certificate.js';
import { bytesEqual } from './der-reader.js';
import type { NameConstraints } from './extensions.js';
import type { GeneralName } from './general-name.js';
import { namesEqual, parseName } from './name.js';

const EMAIL_ATTR = '1.2.840.113549.1.9.1';

function dnsMatches(name: string, constraint: string): boolean {
  const n = name.toLowerCase().replace(/\.$/, '');
  const c = constraint.toLowerCase().replace(/\.$/, '');
  if (c === '') return true;
  if (c.startsWith('.')) return n.endsWith(c);
  return n === c || n.endsWith(`.${c}`);
}

function emailMatches(mailbox: string, constraint: string): boolean {
  const at = mailbox.lastIndexOf('@');
  const host = (at >= 0 ? mailbox.slice(at + 1) : mailbox).toLowerCase();
  const c = constraint.toLowerCase();
  if (c.includes('@')) return mailbox.toLowerCase() === c;
  if (c.startsWith('.')) return host.endsWith(c);
  return host === c;
}

function uriHost(uri: string): string | undefined {
  const m = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)/.exec(uri);
  return m?.[1]?.toLowerCase();
}

function uriMatches(uri: string, constraint: string): boolean {
  const host = uriHost(uri);
  if (host === undefined) return false;
  const c = constraint.toLowerCase();
  if (c.startsWith('.')) return host.endsWith(c);
  return host === c;
}

function ipMatches(ip: Uint8Array, constraint: Uint8Array): boolean {
  if (constraint.length !== ip.length * 2) return false;
  for (let i = 0; i < ip.length; i++) {
    const mask = constraint[ip.length + i]!;
    if ((ip[i]! & mask) !== (constraint[i]! & mask)) return false;
  }
  return true;
}

function dnWithin(subjectDer: Uint8Array, baseDer: Uint8Array): boolean {
  const s = parseName(subjectDer);
  const b = parseName(baseDer);
  if (b.length > s.length) return false;
  // The base's RDNs must be the first RDNs of the subject (§4.2.1.10), compared as in §7.1.
  for (let i = 0; i < b.length; i++) {
    const rb = b[i]!;
    const rs = s[i]!;
    if (rb.length !== rs.length) return false;
    for (const x of rb) {
      const match = rs.some(
        (y) =>
          y.type === x.type &&
          (x.value !== undefined && y.value !== undefined
            ? x.value.trim().replace(/\s+/g, ' ').toLowerCase() ===
              y.value.trim().replace(/\s+/g, ' ').toLowerCase()
            : bytesEqual(x.valueDer, y.valueDer)),
      );
      if (!match) return false;
    }
  }
  return true;
}

type Name =
  | { kind: 'directoryName'; der: Uint8Array }
  | { kind: 'dNSName' | 'rfc822Name' | 'uniformResourceIdentifier'; value: string }
  | { kind: 'iPAddress'; bytes: Uint8Array }
  | { kind: 'other'; type: string };

function namesOf(cert: Certificate): Name[] {
  const out: Name[] = [];
  if (parseName(cert.subjectDer).length > 0) out.push({ kind: 'directoryName', der: cert.subjectDer });
  for (const rdn of parseName(cert.subjectDer))
    for (const a of rdn)
      if (a.type === EMAIL_ATTR && a.value !== undefined) out.push({ kind: 'rfc822Name', value: a.value });
  for (const g of cert.subjectAltName) out.push(fromGeneralName(g));
  return out;
}

function fromGeneralName(g: GeneralName): Name {
  switch (g.type) {
    case 'directoryName':
      return { kind: 'directoryName', der: g.der };
    case 'dNSName':
    case 'rfc822Name':
    case 'uniformResourceIdentifier':
      return { kind: g.type, value: g.value };
    case 'iPAddress':
      return { kind: 'iPAddress', bytes: g.bytes };
    default:
      return { kind: 'other', type: g.type };
  }
}

function matches(name: Name, c: GeneralName): boolean | undefined {
  switch (c.type) {
    case 'directoryName':
      return name.kind === 'directoryName'
        ? namesEqual(name.der, c.der) || dnWithin(name.der, c.der)
        : undefined;
    case 'dNSName':
      return name.kind === 'dNSName' ? dnsMatches(name.value, c.value) : undefined;
    case 'rfc822Name':
      return name.kind === 'rfc822Name' ? emailMatches(name.value, c.value) : undefined;
    case 'uniformResourceIdentifier':
      return name.kind === 'uniformResourceIdentifier' ? uriMatches(name.value, c.value) : undefined;
    case 'iPAddress':
      return name.kind === 'iPAddress' ? ipMatches(name.bytes, c.bytes) : undefined;
    default:
      return undefined; // unsupported forms are rejected before matching
  }
}

const SUPPORTED = new Set([
  'directoryName',
  'dNSName',
  'rfc822Name',
  'uniformResourceIdentifier',
  'iPAddress',
]);

/** Returns undefined when `cert` satisfies `nc`, otherwise the reason. */
export function nameConstraintViolation(cert: Certificate, nc: NameConstraints): string | undefined {
  for (const c of [...nc.permitted, ...nc.excluded])
    if (!SUPPORTED.has(c.type)) return `a name constraint of type ${c.type} cannot be evaluated`;
  const names = namesOf(cert);
  for (const n of names) {
    for (const c of nc.excluded)
      if (matches(n, c) === true) return `a ${c.type} falls in an excluded subtree`;
    const sameType = nc.permitted.filter((c) => matches(n, c) !== undefined);
    if (sameType.length > 0 && !sameType.some((c) => matches(n, c) === true))
      return `a ${n.kind === 'other' ? n.type : n.kind} is outside the permitted subtrees`;
  }
  return undefined;
}
