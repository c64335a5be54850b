import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { JPKI_OID } from '../../src/profiles.js';
import { openssl, type TempDir, tempDir } from './openssl.js';

/**
 * JPKI-shaped test material made entirely by the OpenSSL CLI (the independent oracle): a signature CA with
 * the J-LIS name, signer certificates for every case, CMS signatures (`openssl cms -sign`), CRLs
 * (`openssl ca -gencrl`) and OCSP responses (`openssl ocsp -index … -rsigner`).
 *
 * Run as a script (`node --import tsx jpki-fixtures.ts`), it makes the fixtures and prints their manifest
 * as JSON on stdout — how other projects' tests (the command line's) use them without importing across
 * project boundaries.
 *
 * Times: OpenSSL stamps OCSP responses with the real clock, so the verification instant `at` is taken from
 * the clock once, when the fixtures are made, and every other time is placed relative to it. Certificates
 * use fixed dates wide enough around it.
 */
export interface JpkiFixtures {
  readonly dir: TempDir;
  /** The verification instant (ISO) to use with these fixtures. */
  readonly at: Date;
  readonly content: Uint8Array;
  /** Paths of files. */
  readonly files: {
    caPem: string;
    otherCaPem: string;
    ocspResponderPem: string;
    signerPem: string;
    /** CMS DER, attached, signer = valid JPKI signature certificate. */
    attached: string;
    /** CMS PEM (S/MIME-free PEM `-----BEGIN CMS-----`), attached. */
    attachedPem: string;
    detached: string;
    content: string;
    tamperedContent: string;
    tamperedAttached: string;
    badSignatureValue: string;
    expiredSigner: string;
    revokedSigner: string;
    untrustedSigner: string;
    wrongKeyUsage: string;
    noPolicy: string;
    signerNotIncluded: string;
    /** CMS DER, attached, the valid signer, digest SHA-1 (messageDigest and signature hash). */
    sha1Attached: string;
    /** CRLs (DER) */
    crl: string;
    crlPem: string;
    staleCrl: string;
    otherCaCrl: string;
    /** OCSP responses (DER) */
    ocspGood: string;
    ocspRevoked: string;
    ocspGoodShortWindow: string;
    ocspRevokedShortWindow: string;
    ocspOtherCa: string;
    /** user authentication */
    authCertPem: string;
    authKeyPem: string;
  };
  /** Basic four written into the JPKI signer certificates. */
  readonly basicFour: {
    name: string;
    nameSubstitutionMap: string;
    sex: string;
    birthDate: string;
    address: string;
    addressSubstitutionMap: string;
  };
}

const SIGN_CA =
  '/C=JP/O=JPKI/OU=JPKI for digital signature/OU=Japan Agency for Local Authority Information Systems';
const OTHER_CA = '/C=JP/O=Example/CN=Unrelated CA';

function gt(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:T]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

function caConfig(dir: string): string {
  return `
[ca]
default_ca = CA_default
[CA_default]
dir = ${dir}
database = ${dir}/index.txt
new_certs_dir = ${dir}/newcerts
serial = ${dir}/serial
crlnumber = ${dir}/crlnumber
certificate = ${dir}/ca.pem
private_key = ${dir}/ca.key
default_md = sha256
policy = policy_any
unique_subject = no
copy_extensions = none
email_in_dn = no
default_crl_days = 1
preserve = yes
[policy_any]
countryName = optional
organizationName = optional
organizationalUnitName = optional
localityName = optional
commonName = supplied
[ext_sign]
keyUsage = critical,digitalSignature,nonRepudiation
certificatePolicies = critical,${JPKI_OID.signaturePolicy}
subjectAltName = @san_sign
crlDistributionPoints = URI:http://127.0.0.1:9/sign.crl
authorityInfoAccess = OCSP;URI:http://127.0.0.1:9/ocsp
authorityKeyIdentifier = keyid
subjectKeyIdentifier = hash
[ext_nopolicy]
keyUsage = critical,digitalSignature,nonRepudiation
subjectAltName = @san_sign
authorityKeyIdentifier = keyid
subjectKeyIdentifier = hash
[ext_wrongku]
keyUsage = critical,keyEncipherment
certificatePolicies = critical,${JPKI_OID.signaturePolicy}
subjectAltName = @san_sign
authorityKeyIdentifier = keyid
subjectKeyIdentifier = hash
[ext_ocsp]
keyUsage = critical,digitalSignature
extendedKeyUsage = OCSPSigning
noCheck = ignored
authorityKeyIdentifier = keyid
subjectKeyIdentifier = hash
[ext_auth]
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
certificatePolicies = critical,${JPKI_OID.userAuthenticationPolicy}
authorityKeyIdentifier = keyid
subjectKeyIdentifier = hash
[san_sign]
otherName.1 = ${JPKI_OID.name};FORMAT:UTF8,UTF8:番号\u3000花子
otherName.2 = ${JPKI_OID.nameSubstitutionMap};UTF8:00000
otherName.3 = ${JPKI_OID.sex};UTF8:2
otherName.4 = ${JPKI_OID.birthDate};UTF8:419900102
otherName.5 = ${JPKI_OID.address};FORMAT:UTF8,UTF8:東京都千代田区霞が関１－２－３
otherName.6 = ${JPKI_OID.addressSubstitutionMap};UTF8:000000000000000
`;
}

class Ca {
  constructor(
    readonly dir: string,
    readonly cnf: string,
  ) {}
  static create(root: TempDir, name: string, subject: string): Ca {
    const dir = join(root.path, name);
    const fs = (p: string, d: string) => writeFileSync(join(dir, p), d);
    mkdirSync(join(dir, 'newcerts'), { recursive: true });
    fs('index.txt', '');
    fs('serial', '1000\n');
    fs('crlnumber', '01\n');
    const cnf = join(dir, 'ca.cnf');
    fs('ca.cnf', caConfig(dir));
    openssl([
      'genpkey',
      '-algorithm',
      'RSA',
      '-pkeyopt',
      'rsa_keygen_bits:2048',
      '-out',
      join(dir, 'ca.key'),
    ]);
    openssl([
      'req',
      '-x509',
      '-new',
      '-key',
      join(dir, 'ca.key'),
      '-subj',
      subject,
      '-days',
      '14600',
      '-set_serial',
      '1',
      '-addext',
      'basicConstraints=critical,CA:TRUE,pathlen:0',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
      '-addext',
      'subjectKeyIdentifier=hash',
      '-out',
      join(dir, 'ca.pem'),
    ]);
    return new Ca(dir, cnf);
  }
  get pem(): string {
    return join(this.dir, 'ca.pem');
  }
  get key(): string {
    return join(this.dir, 'ca.key');
  }
  /** Issues a certificate for a fresh key; returns [certPath, keyPath]. */
  issue(name: string, subject: string, ext: string, start: Date, end: Date): [string, string] {
    const key = join(this.dir, `${name}.key`);
    const csr = join(this.dir, `${name}.csr`);
    const cert = join(this.dir, `${name}.pem`);
    openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', key]);
    openssl(['req', '-new', '-key', key, '-subj', subject, '-out', csr]);
    openssl([
      'ca',
      '-batch',
      '-config',
      this.cnf,
      '-extensions',
      ext,
      '-startdate',
      gt(start),
      '-enddate',
      gt(end),
      '-in',
      csr,
      '-out',
      cert,
      '-notext',
      '-md',
      'sha256',
    ]);
    return [cert, key];
  }
  revoke(cert: string, reason: string): void {
    openssl(['ca', '-config', this.cnf, '-revoke', cert, '-crl_reason', reason]);
  }
  crl(out: string, lastUpdate: Date, nextUpdate: Date): void {
    const pem = `${out}.pem`;
    openssl([
      'ca',
      '-config',
      this.cnf,
      '-gencrl',
      '-crl_lastupdate',
      gt(lastUpdate),
      '-crl_nextupdate',
      gt(nextUpdate),
      '-out',
      pem,
    ]);
    openssl(['crl', '-in', pem, '-outform', 'DER', '-out', out]);
  }
  ocsp(
    cert: string,
    responder: [string, string],
    out: string,
    window: { ndays?: number; nmin?: number },
  ): void {
    const req = `${out}.req`;
    openssl(['ocsp', '-issuer', this.pem, '-cert', cert, '-reqout', req, '-no_nonce']);
    openssl([
      'ocsp',
      '-index',
      join(this.dir, 'index.txt'),
      '-rsigner',
      responder[0],
      '-rkey',
      responder[1],
      '-CA',
      this.pem,
      '-reqin',
      req,
      '-respout',
      out,
      ...(window.ndays !== undefined ? ['-ndays', String(window.ndays)] : []),
      ...(window.nmin !== undefined ? ['-nmin', String(window.nmin)] : []),
    ]);
  }
}

function cmsSign(
  out: string,
  signer: [string, string],
  content: string,
  opts: { detached: boolean; nocerts?: boolean; pem?: boolean; md?: string },
): void {
  openssl([
    'cms',
    '-sign',
    '-binary',
    '-md',
    opts.md ?? 'sha256',
    '-nosmimecap',
    '-signer',
    signer[0],
    '-inkey',
    signer[1],
    '-in',
    content,
    ...(opts.detached ? [] : ['-nodetach']),
    ...(opts.nocerts ? ['-nocerts'] : []),
    '-outform',
    opts.pem ? 'PEM' : 'DER',
    '-out',
    out,
  ]);
}

/** Flips one byte inside the first occurrence of `needle` in `hay` (at its middle). */
function flipInside(hay: Uint8Array, needle: Uint8Array): Uint8Array {
  const i = Buffer.from(hay).indexOf(Buffer.from(needle));
  if (i < 0) throw new Error('needle not found');
  const out = new Uint8Array(hay);
  const j = i + (needle.length >> 1);
  out[j] = (out[j] ?? 0) ^ 0x01;
  return out;
}

export function makeJpkiFixtures(): JpkiFixtures {
  const root = tempDir('mynakit-jpki-fx-');
  try {
    return build(root);
  } catch (e) {
    root.remove();
    throw e;
  }
}

function build(root: TempDir): JpkiFixtures {
  const at = new Date(Math.floor(Date.now() / 1000) * 1000 + 60_000);
  const day = 86_400_000;
  const longAgo = new Date('2020-01-01T00:00:00Z');
  const farAway = new Date('2060-01-01T00:00:00Z');

  const ca = Ca.create(root, 'ca', SIGN_CA);
  const other = Ca.create(root, 'other', OTHER_CA);
  const responder = ca.issue('ocsp', '/C=JP/O=JPKI/CN=JPKI OCSP Responder', 'ext_ocsp', longAgo, farAway);
  const signer = ca.issue('signer', '/C=JP/CN=SIGNER0000000000000000A', 'ext_sign', longAgo, farAway);
  const expired = ca.issue(
    'expired',
    '/C=JP/CN=EXPIRED000000000000000B',
    'ext_sign',
    longAgo,
    new Date('2021-01-01T00:00:00Z'),
  );
  const revoked = ca.issue('revoked', '/C=JP/CN=REVOKED000000000000000C', 'ext_sign', longAgo, farAway);
  const wrongKu = ca.issue('wrongku', '/C=JP/CN=WRONGKU000000000000000D', 'ext_wrongku', longAgo, farAway);
  const noPolicy = ca.issue('nopolicy', '/C=JP/CN=NOPOLICY00000000000000E', 'ext_nopolicy', longAgo, farAway);
  const auth = ca.issue('auth', '/C=JP/CN=AUTHUSER00000000000000F', 'ext_auth', longAgo, farAway);
  const untrusted = other.issue(
    'untrusted',
    '/C=JP/CN=UNTRUSTED0000000000000G',
    'ext_sign',
    longAgo,
    farAway,
  );
  const otherResponder = other.issue('ocsp', '/C=JP/O=Example/CN=Other OCSP', 'ext_ocsp', longAgo, farAway);
  ca.revoke(revoked[0], 'keyCompromise');

  const f = (n: string) => root.file(n);
  const content = new TextEncoder().encode('申込書: 口座開設\r\nmynakit test document\n');
  writeFileSync(f('content.bin'), content);
  writeFileSync(f('tampered.bin'), new Uint8Array([...content.subarray(0, -1), 0x21]));

  cmsSign(f('attached.der'), signer, f('content.bin'), { detached: false });
  cmsSign(f('attached.pem'), signer, f('content.bin'), { detached: false, pem: true });
  cmsSign(f('detached.der'), signer, f('content.bin'), { detached: true });
  cmsSign(f('expired.der'), expired, f('content.bin'), { detached: false });
  cmsSign(f('revoked.der'), revoked, f('content.bin'), { detached: false });
  cmsSign(f('untrusted.der'), untrusted, f('content.bin'), { detached: false });
  cmsSign(f('wrongku.der'), wrongKu, f('content.bin'), { detached: false });
  cmsSign(f('nopolicy.der'), noPolicy, f('content.bin'), { detached: false });
  cmsSign(f('nocerts.der'), signer, f('content.bin'), { detached: false, nocerts: true });
  cmsSign(f('sha1.der'), signer, f('content.bin'), { detached: false, md: 'sha1' });

  const attached = new Uint8Array(readFileSync(f('attached.der')));
  writeFileSync(f('tampered-attached.der'), flipInside(attached, content));
  // The signature value is the last 256 bytes of the SignedData (RSA-2048, no unsigned attributes).
  const badSig = new Uint8Array(attached);
  badSig[badSig.length - 100] = (badSig[badSig.length - 100] ?? 0) ^ 0x01;
  writeFileSync(f('badsig.der'), badSig);

  ca.crl(f('crl.der'), new Date(at.getTime() - day), new Date(at.getTime() + day));
  writeFileSync(f('crl.pem'), readFileSync(`${f('crl.der')}.pem`));
  ca.crl(f('stale.crl'), new Date(at.getTime() - 10 * day), new Date(at.getTime() - day));
  other.crl(f('other.crl'), new Date(at.getTime() - day), new Date(at.getTime() + day));

  ca.ocsp(signer[0], responder, f('ocsp-good.der'), { ndays: 30 });
  ca.ocsp(revoked[0], responder, f('ocsp-revoked.der'), { ndays: 30 });
  ca.ocsp(signer[0], responder, f('ocsp-short.der'), { nmin: 1 });
  ca.ocsp(revoked[0], responder, f('ocsp-revoked-short.der'), { nmin: 1 });
  other.ocsp(untrusted[0], otherResponder, f('ocsp-other.der'), { ndays: 30 });

  return {
    dir: root,
    at,
    content,
    files: {
      caPem: ca.pem,
      otherCaPem: other.pem,
      ocspResponderPem: responder[0],
      signerPem: signer[0],
      attached: f('attached.der'),
      attachedPem: f('attached.pem'),
      detached: f('detached.der'),
      content: f('content.bin'),
      tamperedContent: f('tampered.bin'),
      tamperedAttached: f('tampered-attached.der'),
      badSignatureValue: f('badsig.der'),
      expiredSigner: f('expired.der'),
      revokedSigner: f('revoked.der'),
      untrustedSigner: f('untrusted.der'),
      wrongKeyUsage: f('wrongku.der'),
      noPolicy: f('nopolicy.der'),
      signerNotIncluded: f('nocerts.der'),
      sha1Attached: f('sha1.der'),
      crl: f('crl.der'),
      crlPem: f('crl.pem'),
      staleCrl: f('stale.crl'),
      otherCaCrl: f('other.crl'),
      ocspGood: f('ocsp-good.der'),
      ocspRevoked: f('ocsp-revoked.der'),
      ocspGoodShortWindow: f('ocsp-short.der'),
      ocspRevokedShortWindow: f('ocsp-revoked-short.der'),
      ocspOtherCa: f('ocsp-other.der'),
      authCertPem: auth[0],
      authKeyPem: auth[1],
    },
    basicFour: {
      name: '番号\u3000花子',
      nameSubstitutionMap: '00000',
      sex: '2',
      birthDate: '419900102',
      address: '東京都千代田区霞が関１－２－３',
      addressSubstitutionMap: '000000000000000',
    },
  };
}

/** The manifest printed when run as a script. */
export interface JpkiFixtureManifest {
  readonly dir: string;
  readonly at: string;
  readonly files: JpkiFixtures['files'];
  readonly basicFour: JpkiFixtures['basicFour'];
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const fx = makeJpkiFixtures();
  const manifest: JpkiFixtureManifest = {
    dir: fx.dir.path,
    at: fx.at.toISOString(),
    files: fx.files,
    basicFour: fx.basicFour,
  };
  process.stdout.write(`${JSON.stringify(manifest)}\n`);
}
