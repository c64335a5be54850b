/**
 * Where the sandbox CA hierarchy keeps its certificates and its epoch. Certificates are public; what
 * matters is that every instance sharing a data directory sees the same ones, so entries are written
 * once (the first writer wins, later writers read the winner's) and never replaced: a renewed
 * certificate is a new generation under a new name (sandbox-names.ts SANDBOX_SCHEDULE).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { derToPem, pemToDer } from '@mynakit/pki';
import { IssuerError } from '../errors.js';
import { assertKeyName } from '../keys/key-source.js';
import { readFileIfExists, readOrCreateFile, writeFileOnce } from '../keys/write-once-file.js';

/** A write-once store of the hierarchy's certificates, by name (the names of their keys). */
export interface CertificateStore {
  /** The certificate (DER) stored under `name`, or undefined. */
  get(name: string): Promise<Uint8Array | undefined>;
  /** Stores `der` under `name` unless something is there already; returns what is stored (the winner's). */
  putIfAbsent(name: string, der: Uint8Array): Promise<Uint8Array>;
  /**
   * The hierarchy's epoch — the instant of its first start, which every generation is counted from —
   * stored as `now` (to the second) on the first call and returned unchanged afterwards.
   */
  epoch(now: Date): Promise<Date>;
}

/** A CertificateStore in files: `<dataDir>/issuer/ca/<name>.pem` and `<dataDir>/issuer/ca/epoch`. */
export class FileCertificateStore implements CertificateStore {
  readonly #dir: string;

  /** Files under `<dataDir>/issuer/ca/` (created on first write). */
  constructor(dataDir: string) {
    this.#dir = join(dataDir, 'issuer', 'ca');
  }

  async get(name: string): Promise<Uint8Array | undefined> {
    assertKeyName(name);
    const pem = await readFileIfExists(this.#path(name));
    return pem === undefined ? undefined : decodePem(name, pem);
  }

  async putIfAbsent(name: string, der: Uint8Array): Promise<Uint8Array> {
    assertKeyName(name);
    await mkdir(this.#dir, { recursive: true });
    if (await writeFileOnce(this.#path(name), Buffer.from(derToPem(der)), 0o644)) return der;
    const winner = await this.get(name);
    if (winner === undefined)
      throw new IssuerError('ISSUER_CA_STORE_CORRUPT', `certificate ${name} vanished after its creation`);
    return winner;
  }

  async epoch(now: Date): Promise<Date> {
    await mkdir(this.#dir, { recursive: true });
    const first = new Date(Math.floor(now.getTime() / 1000) * 1000);
    const { bytes } = await readOrCreateFile(
      join(this.#dir, 'epoch'),
      () => Buffer.from(`${first.toISOString()}\n`),
      0o644,
    );
    const text = Buffer.from(bytes).toString('utf8').trim();
    const epoch = new Date(text);
    if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(text) || Number.isNaN(epoch.getTime()))
      throw new IssuerError('ISSUER_CA_STORE_CORRUPT', 'the hierarchy epoch file is not an ISO instant');
    return epoch;
  }

  #path(name: string): string {
    return join(this.#dir, `${name}.pem`);
  }
}

function decodePem(name: string, pem: Uint8Array): Uint8Array {
  try {
    return pemToDer(Buffer.from(pem).toString('utf8'), 'CERTIFICATE');
  } catch (e) {
    throw new IssuerError('ISSUER_CA_STORE_CORRUPT', `certificate file ${name}.pem is not PEM`, { cause: e });
  }
}
