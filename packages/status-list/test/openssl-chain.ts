/**
 * Certificate chains made by the OpenSSL CLI (an independent producer) in a temporary directory:
 * a self-signed root CA and a P-256 status-list signer it issues.
 */
import { execFileSync } from 'node:child_process';
import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestChain {
  readonly rootPem: string;
  readonly rootDer: Uint8Array;
  readonly leafDer: Uint8Array;
  readonly leafKey: KeyObject;
  /** The leaf's validity window (the certificates are made now, so tests derive their times from it). */
  readonly leafNotBefore: Date;
  readonly leafNotAfter: Date;
}

function pemToDer(pem: string): Uint8Array {
  const b64 = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  return new Uint8Array(Buffer.from(b64, 'base64'));
}

/** A root CA valid for 10 years and a leaf valid for 30 days, both from the moment they are made. */
export function makeChain(name: string): TestChain {
  const dir = mkdtempSync(join(tmpdir(), 'status-list-pki-'));
  const run = (...args: string[]) =>
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    run('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'root.key');
    writeFileSync(
      join(dir, 'root.cnf'),
      [
        '[req]',
        'distinguished_name = dn',
        'x509_extensions = v3_ca',
        'prompt = no',
        '[dn]',
        `CN = ${name} Root`,
        '[v3_ca]',
        'basicConstraints = critical, CA:TRUE, pathlen:0',
        'keyUsage = critical, keyCertSign, cRLSign',
        'subjectKeyIdentifier = hash',
        '',
      ].join('\n'),
    );
    run(
      'req',
      '-new',
      '-x509',
      '-key',
      'root.key',
      '-config',
      'root.cnf',
      '-out',
      'root.pem',
      '-days',
      '7300',
      '-set_serial',
      '1',
    );
    run('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'leaf.key');
    run('req', '-new', '-key', 'leaf.key', '-subj', `/CN=${name} Status List Signer`, '-out', 'leaf.csr');
    writeFileSync(
      join(dir, 'leaf.ext'),
      [
        'basicConstraints = critical, CA:FALSE',
        'keyUsage = critical, digitalSignature',
        'subjectKeyIdentifier = hash',
        'authorityKeyIdentifier = keyid',
        '',
      ].join('\n'),
    );
    run(
      'x509',
      '-req',
      '-in',
      'leaf.csr',
      '-CA',
      'root.pem',
      '-CAkey',
      'root.key',
      '-set_serial',
      '2',
      '-days',
      '30',
      '-extfile',
      'leaf.ext',
      '-out',
      'leaf.pem',
    );
    const rootPem = readFileSync(join(dir, 'root.pem'), 'utf8');
    const leafPem = readFileSync(join(dir, 'leaf.pem'), 'utf8');
    const x509 = new X509Certificate(leafPem);
    return {
      leafNotBefore: new Date(x509.validFrom),
      leafNotAfter: new Date(x509.validTo),
      rootPem,
      rootDer: pemToDer(rootPem),
      leafDer: pemToDer(leafPem),
      leafKey: createPrivateKey(readFileSync(join(dir, 'leaf.key'))),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
