/**
 * Name constraints processing (RFC 5280 §4.2.1.10, §6.1.3 (b)–(c), §6.1.4 (g)).
 *
 * Supported name forms: directoryName (RDN prefix match, §7.1 comparison), dNSName (whole labels; a
 * name or constraint not in the preferred name syntax cannot be placed and fails; a wildcard name is
 * excluded when any name it covers is, permitted only when all are),
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

/** RFC 1034 §3.5 label, as RFC 1123 §2.1 relaxed it (a digit may lead), at most 63 octets. */
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * The labels of a dNSName in the preferred name syntax (§4.2.1.6: "MUST be in the 'preferred name
 * syntax', as specified by Section 3.5 of [RFC1034]"), lower case; undefined when malformed — an empty
 * name or label (".example.com", "a..b"), a trailing dot, a space, a character outside letters, digits
 * and hyphen. A subjectAltName may start with a whole-label wildcard ("*.example.com"), as certificates
 * do in practice; a constraint may not.
 */
function dnsLabels(name: string, wildcard: boolean): string[] | undefined {
  if (name.length === 0 || name.length > 253) return undefined;
  const labels = name.toLowerCase().split('.');
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i]!;
    if (wildcard && i === 0 && l === '*' && labels.length > 1) continue;
    if (!LABEL.test(l)) return undefined;
  }
  return labels;
}

interface DnsConstraint {
  readonly labels: readonly string[];
  /** A leading period: only names below it, not the name itself. */
  readonly belowOnly: boolean;
}

/**
 * A dNSName constraint (§4.2.1.10): "any DNS name that can be constructed by simply adding zero or more
 * labels to the left-hand side of the name satisfies the name constraint". The empty name matches every
 * name; a leading period (".example.com", as rfc822Name and URI constraints write it and OpenSSL reads
 * it for dNSName too) asks for at least one more label.
 */
function dnsConstraint(value: string): DnsConstraint | undefined {
  if (value === '') return { labels: [], belowOnly: false };
  const belowOnly = value.startsWith('.');
  const labels = dnsLabels(belowOnly ? value.slice(1) : value, false);
  return labels === undefined ? undefined : { labels, belowOnly };
}

/**
 * Whole-label suffix comparison. `wildcardMatches`: whether a "*" label of the name may stand for the
 * constraint's label there — yes when asking whether some name the wildcard covers falls in the subtree
 * (excluded subtrees), no when asking whether all of them do (permitted subtrees).
 */
function dnsWithin(name: readonly string[], c: DnsConstraint, wildcardMatches: boolean): boolean {
  const extra = name.length - c.labels.length;
  if (extra < (c.belowOnly ? 1 : 0)) return false;
  for (let i = 0; i < c.labels.length; i++) {
    const n = name[extra + i]!;
    if (n !== c.labels[i] && !(wildcardMatches && n === '*' && extra + i === 0)) return false;
  }
  return true;
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
  | { kind: 'dNSName'; value: string; labels: readonly string[] | undefined }
  | { kind: 'rfc822Name' | 'uniformResourceIdentifier'; value: string }
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
      return { kind: 'dNSName', value: g.value, labels: dnsLabels(g.value, true) };
    case 'rfc822Name':
    case 'uniformResourceIdentifier':
      return { kind: g.type, value: g.value };
    case 'iPAddress':
      return { kind: 'iPAddress', bytes: g.bytes };
    default:
      return { kind: 'other', type: g.type };
  }
}

/**
 * Whether `name` falls in the subtree `c` (undefined: another name form). For a wildcard dNSName,
 * `excluded` asks whether any name it covers does, otherwise whether all do.
 */
function matches(name: Name, c: GeneralName, excluded: boolean): boolean | undefined {
  switch (c.type) {
    case 'directoryName':
      return name.kind === 'directoryName'
        ? namesEqual(name.der, c.der) || dnWithin(name.der, c.der)
        : undefined;
    case 'dNSName': {
      if (name.kind !== 'dNSName') return undefined;
      const dc = dnsConstraint(c.value);
      // malformed names and constraints are refused before matching
      return name.labels !== undefined && dc !== undefined && dnsWithin(name.labels, dc, excluded);
    }
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
  let dnsConstrained = false;
  for (const c of [...nc.permitted, ...nc.excluded]) {
    if (!SUPPORTED.has(c.type)) return `a name constraint of type ${c.type} cannot be evaluated`;
    if (c.type === 'dNSName') {
      dnsConstrained = true;
      if (dnsConstraint(c.value) === undefined)
        return 'a dNSName constraint is malformed (not in the preferred name syntax) and cannot be evaluated';
    }
  }
  const names = namesOf(cert);
  for (const n of names) {
    // A malformed name cannot be placed inside or outside a subtree (§4.2.1.6 requires the syntax).
    if (n.kind === 'dNSName' && n.labels === undefined && dnsConstrained)
      return 'a dNSName in subjectAltName is malformed (not in the preferred name syntax, §4.2.1.6)';
    for (const c of nc.excluded)
      if (matches(n, c, true) === true) return `a ${c.type} falls in an excluded subtree`;
    let sameType = false;
    let inside = false;
    for (const c of nc.permitted) {
      const m = matches(n, c, false);
      if (m === undefined) continue;
      sameType = true;
      if (m) {
        inside = true;
        break;
      }
    }
    if (sameType && !inside)
      return `a ${n.kind === 'other' ? n.type : n.kind} is outside the permitted subtrees`;
  }
  return undefined;
}
