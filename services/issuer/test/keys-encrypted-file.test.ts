import { createDecipheriv, createPrivateKey, createPublicKey, randomBytes, verify } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IssuerError } from '../src/errors.js';
import { EncryptedFileKeySource, parseKek } from '../src/keys/encrypted-file-key-source.js';
import { keySourceSigner } from '../src/keys/key-source.js';

const dirs: string[] = [];
function dataDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'mynakit-issuer-keys-'));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function codeOf(p: Promise<unknown> | (() => unknown)): Promise<string | undefined> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    if (e instanceof IssuerError) return e.code;
    throw e;
  }
  return undefined;
}

const message = new TextEncoder().encode('to be signed');
const keyFile = (dir: string, name: string) => join(dir, 'issuer', 'keys', `${name}.key`);

/** The key file format, decrypted independently: version ‖ IV ‖ AES-256-GCM ciphertext ‖ tag. */
function decryptKeyFile(bytes: Uint8Array, kek: Uint8Array, name: string): Buffer {
  expect(bytes[0]).toBe(1);
  const d = createDecipheriv('aes-256-gcm', kek, bytes.subarray(1, 13));
  d.setAAD(Buffer.concat([Buffer.of(1), Buffer.from(`mynakit issuer key ${name}`)]));
  d.setAuthTag(bytes.subarray(bytes.length - 16));
  return Buffer.concat([d.update(bytes.subarray(13, bytes.length - 16)), d.final()]);
}

describe('EncryptedFileKeySource', () => {
  it('creates P-256 and RSA-2048 keys whose signatures node:crypto verifies, again after reopening', async () => {
    const dir = dataDir();
    const keys = await EncryptedFileKeySource.open({ dataDir: dir });
    const ec = await keys.ensureKey('mnc-ds', { kind: 'ec-p256' });
    const rsa = await keys.ensureKey('jpki-sign-ca', { kind: 'rsa-2048' });
    expect(ec.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(rsa.asymmetricKeyDetails?.modulusLength).toBe(2048);

    const ecSig = await keys.sign('mnc-ds', message, 'ecdsa-with-SHA256');
    expect(verify('sha256', message, { key: ec, dsaEncoding: 'der' }, ecSig)).toBe(true);
    const rsaSig = await keys.sign('jpki-sign-ca', message, 'sha256WithRSAEncryption');
    expect(verify('sha256', message, rsa, rsaSig)).toBe(true);

    const again = await EncryptedFileKeySource.open({ dataDir: dir });
    expect((await again.publicKey('mnc-ds'))?.equals(ec)).toBe(true);
    expect((await again.ensureKey('jpki-sign-ca', { kind: 'rsa-2048' })).equals(rsa)).toBe(true);
    const later = await again.sign('jpki-sign-ca', message, 'sha256WithRSAEncryption');
    expect(Buffer.from(later).equals(Buffer.from(rsaSig))).toBe(true); // PKCS #1 v1.5: deterministic
    const viaSigner = await keySourceSigner(again, 'mnc-ds', 'ecdsa-with-SHA256').sign(message);
    expect(verify('sha256', message, { key: ec, dsaEncoding: 'der' }, viaSigner)).toBe(true);
    expect(await again.publicKey('absent')).toBeUndefined();
  });

  it('generates its KEK once into <dataDir>/issuer/kek with mode 0600', async () => {
    const dir = dataDir();
    await EncryptedFileKeySource.open({ dataDir: dir });
    const kekPath = join(dir, 'issuer', 'kek');
    expect(readFileSync(kekPath)).toHaveLength(32);
    if (process.platform !== 'win32') expect(statSync(kekPath).mode & 0o777).toBe(0o600);
    const first = readFileSync(kekPath);
    await EncryptedFileKeySource.open({ dataDir: dir });
    expect(readFileSync(kekPath).equals(first)).toBe(true);
  });

  it('keeps only ciphertext on disk: neither the PKCS #8 DER nor its PEM', async () => {
    const dir = dataDir();
    const kek = randomBytes(32);
    const keys = await EncryptedFileKeySource.open({ dataDir: dir, kek });
    const pub = await keys.ensureKey('reader-ca', { kind: 'ec-p256' });
    const file = readFileSync(keyFile(dir, 'reader-ca'));
    if (process.platform !== 'win32') expect(statSync(keyFile(dir, 'reader-ca')).mode & 0o777).toBe(0o600);
    // Decrypting independently proves what the file holds — and that the file is not that.
    const pkcs8 = decryptKeyFile(file, kek, 'reader-ca');
    const priv = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
    expect(createPublicKey(priv).equals(pub)).toBe(true);
    const pem = priv.export({ type: 'pkcs8', format: 'pem' }) as string;
    const pemBody = pem.split('\n').slice(1, -2).join('');
    const text = file.toString('latin1');
    expect(file.includes(pkcs8)).toBe(false);
    expect(file.includes(pkcs8.subarray(pkcs8.length - 64))).toBe(false); // the private scalar's region
    expect(text.includes(pemBody.slice(0, 40))).toBe(false);
    expect(text.includes('PRIVATE KEY')).toBe(false);
    // No kek file when the caller gives the KEK.
    expect(readdirSync(join(dir, 'issuer'))).not.toContain('kek');
  });

  it('refuses another KEK at open (ISSUER_KEY_WRONG_KEK) and a KEK of the wrong size', async () => {
    const dir = dataDir();
    const keys = await EncryptedFileKeySource.open({ dataDir: dir, kek: randomBytes(32) });
    await keys.ensureKey('mnc-iaca', { kind: 'ec-p256' });
    expect(await codeOf(EncryptedFileKeySource.open({ dataDir: dir, kek: randomBytes(32) }))).toBe(
      'ISSUER_KEY_WRONG_KEK',
    );
    expect(await codeOf(EncryptedFileKeySource.open({ dataDir: dir }))).toBe('ISSUER_KEY_WRONG_KEK');
    expect(await codeOf(EncryptedFileKeySource.open({ dataDir: dataDir(), kek: randomBytes(16) }))).toBe(
      'ISSUER_KEY_INVALID_KEK',
    );
  });

  it('refuses a key file that was altered, truncated, renamed or written under another KEK (ISSUER_KEY_CORRUPT)', async () => {
    const dir = dataDir();
    const kek = randomBytes(32);
    const keys = await EncryptedFileKeySource.open({ dataDir: dir, kek });
    await keys.ensureKey('a', { kind: 'ec-p256' });
    const good = readFileSync(keyFile(dir, 'a'));
    const fresh = () => EncryptedFileKeySource.open({ dataDir: dir, kek }); // no cached keys

    for (const i of [0, 5, 40, good.length - 1]) {
      const bad = Buffer.from(good);
      bad[i]! ^= 0x01;
      writeFileSync(keyFile(dir, 'b'), bad);
      expect(await codeOf((await fresh()).sign('b', message, 'ecdsa-with-SHA256'))).toBe(
        'ISSUER_KEY_CORRUPT',
      );
      rmSync(keyFile(dir, 'b'));
    }
    writeFileSync(keyFile(dir, 'c'), good.subarray(0, good.length - 1));
    expect(await codeOf((await fresh()).publicKey('c'))).toBe('ISSUER_KEY_CORRUPT');
    writeFileSync(keyFile(dir, 'd'), good); // a's file under another name: the name is in the AAD
    expect(await codeOf((await fresh()).ensureKey('d', { kind: 'ec-p256' }))).toBe('ISSUER_KEY_CORRUPT');

    const other = dataDir();
    const otherKeys = await EncryptedFileKeySource.open({ dataDir: other, kek: randomBytes(32) });
    await otherKeys.ensureKey('e', { kind: 'ec-p256' });
    writeFileSync(keyFile(dir, 'e'), readFileSync(keyFile(other, 'e')));
    expect(await codeOf((await fresh()).sign('e', message, 'ecdsa-with-SHA256'))).toBe('ISSUER_KEY_CORRUPT');
    // The untouched key still works.
    expect((await (await fresh()).sign('a', message, 'ecdsa-with-SHA256')).length).toBeGreaterThan(60);
  });

  it('ends with one key when several instances create it at the same time', async () => {
    const dir = dataDir();
    // The instances race for the KEK file too.
    const instances = await Promise.all(
      [1, 2, 3, 4].map(() => EncryptedFileKeySource.open({ dataDir: dir })),
    );
    const publics = await Promise.all(
      instances.flatMap((k) => [
        k.ensureKey('jpki-auth-ca', { kind: 'rsa-2048' }),
        k.ensureKey('jpki-auth-ca', { kind: 'rsa-2048' }),
      ]),
    );
    for (const p of publics) expect(p.equals(publics[0]!)).toBe(true);
    // Each instance signs with the stored key, whatever it generated itself.
    for (const k of instances) {
      const sig = await k.sign('jpki-auth-ca', message, 'sha256WithRSAEncryption');
      expect(verify('sha256', message, publics[0]!, sig)).toBe(true);
    }
    expect(readdirSync(join(dir, 'issuer', 'keys')).sort()).toEqual(['jpki-auth-ca.key', 'kek-check']);
    expect(readdirSync(join(dir, 'issuer')).sort()).toEqual(['kek', 'keys']);
  });

  it('has stable codes for names, specs, algorithms and missing keys', async () => {
    const keys = await EncryptedFileKeySource.open({ dataDir: dataDir() });
    for (const name of ['', 'A', '../x', 'a/b', 'a.b', 'x'.repeat(65), 'constructor ']) {
      expect(await codeOf(keys.ensureKey(name, { kind: 'ec-p256' }))).toBe('ISSUER_KEY_INVALID_NAME');
      expect(await codeOf(keys.publicKey(name))).toBe('ISSUER_KEY_INVALID_NAME');
      expect(await codeOf(keys.sign(name, message, 'ecdsa-with-SHA256'))).toBe('ISSUER_KEY_INVALID_NAME');
    }
    expect(await codeOf(keys.ensureKey('x'.repeat(64), { kind: 'ec-p256' }))).toBeUndefined();
    expect(await codeOf(keys.sign('nothing', message, 'ecdsa-with-SHA256'))).toBe('ISSUER_KEY_NOT_FOUND');
    await keys.ensureKey('ec', { kind: 'ec-p256' });
    expect(await codeOf(keys.ensureKey('ec', { kind: 'rsa-2048' }))).toBe('ISSUER_KEY_SPEC_MISMATCH');
    expect(await codeOf(keys.sign('ec', message, 'sha256WithRSAEncryption'))).toBe(
      'ISSUER_KEY_ALGORITHM_MISMATCH',
    );
    // Nothing of the key is reachable from the object.
    expect(Object.keys(keys)).toEqual([]);
    expect(JSON.stringify(keys)).toBe('{}');
  });

  it('parses a configured KEK (base64url, 32 bytes)', () => {
    const kek = randomBytes(32);
    expect(Buffer.from(parseKek(` ${kek.toString('base64url')}\n`)).equals(kek)).toBe(true);
    for (const bad of ['', kek.toString('base64'), randomBytes(31).toString('base64url'), 'not base64!'])
      expect(() => parseKek(bad)).toThrow(expect.objectContaining({ code: 'ISSUER_KEY_INVALID_KEK' }));
  });
});
