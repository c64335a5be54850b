/**
 * The verifier's secrets at rest (keys/sealed-secrets.ts): with MYNAKIT_KEK no secret is on disk in the
 * clear and no KEK file is written; a restart with the same KEK opens the same secrets; another KEK fails
 * the start with VERIFIER_KEY_WRONG_KEK and a KEK that is not 32 bytes with VERIFIER_KEY_INVALID_KEK, neither
 * printing a key; without MYNAKIT_KEK one is generated once into the data directory. A data directory of
 * an earlier version (plain `checkpoint-key.pem`, `session-kek`, `reader-kek`) keeps its secrets: they are
 * sealed at open and the plain files removed. An altered sealed file is VERIFIER_KEY_CORRUPT.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { es256Signer, signCheckpoints } from '../src/records/checkpoints.js';
import { appendVerificationRecord } from '../src/records/record-chains.js';
import { verifyRecordChains } from '../src/records/verify-chains.js';
import { type OpenedVerifier, openVerifier } from '../src/server.js';

const root = mkdtempSync(join(tmpdir(), 'mynakit-verifier-keys-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
const freshDir = () => join(root, `d${n++}`);
const kekText = () => randomBytes(32).toString('base64url');

async function open(dataDir: string, kek?: string, log?: (line: string) => void): Promise<OpenedVerifier> {
  return openVerifier({
    dataDir,
    origin: 'http://127.0.0.1:8403',
    maintenanceIntervalMs: 0,
    ...(kek === undefined ? {} : { kek }),
    ...(log === undefined ? {} : { log }),
  });
}

/** Every file under `dir`, with its bytes. */
function filesUnder(dir: string): { path: string; bytes: Buffer }[] {
  const out: { path: string; bytes: Buffer }[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out.push({ path, bytes: readFileSync(path) });
  }
  return out;
}

/** The secrets of an opened verifier, in every form they could be written in the clear. */
function clearForms(v: OpenedVerifier, kek: string): Buffer[] {
  const session = Buffer.from(v.deps.config.sessionKeyEncryptionKey as Uint8Array);
  const reader = Buffer.from(v.deps.config.readerKeyEncryptionKey as Uint8Array);
  const der = v.checkpointKey.privateKey.export({ type: 'pkcs8', format: 'der' });
  const pem = v.checkpointKey.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const d = v.checkpointKey.privateKey.export({ format: 'jwk' }).d as string;
  return [
    session,
    Buffer.from(session.toString('base64url')),
    reader,
    Buffer.from(reader.toString('base64url')),
    der,
    Buffer.from(pem.split('\n')[1] as string),
    Buffer.from(d, 'base64url'),
    Buffer.from(kek, 'base64url'),
    Buffer.from(kek),
  ];
}

describe('the verifier keys at rest', () => {
  it('with MYNAKIT_KEK keeps no secret in the clear on disk, and a restart with the same KEK opens the same secrets', async () => {
    const dataDir = freshDir();
    const kek = kekText();
    const lines: string[] = [];
    const first = await open(dataDir, kek, (l) => lines.push(l));
    const forms = clearForms(first, kek);
    const publicJwk = first.checkpointKey.publicKey.export({ format: 'jwk' });
    const session = Buffer.from(first.deps.config.sessionKeyEncryptionKey as Uint8Array);
    const reader = Buffer.from(first.deps.config.readerKeyEncryptionKey as Uint8Array);
    // A record and a signed checkpoint, to verify after the restart.
    const { relyingParty } = await first.store.relyingParties.create(
      {
        name: 'Clinic',
        clientId: 'x509_san_dns:clinic.example',
        law: 'none',
        verificationProgram: { name: 'mynakit', version: '0.1.0' },
      },
      Date.now(),
    );
    await appendVerificationRecord(first.store, {
      relyingPartyId: relyingParty.id,
      writerId: first.writerId,
      content: { method: 'card-substitute-record' },
      now: Date.now(),
    });
    await signCheckpoints(first.store, es256Signer(first.checkpointKey.privateKey), Date.now());
    await first.close();

    const v = join(dataDir, 'verifier');
    expect(readdirSync(join(v, 'secrets')).sort()).toEqual([
      'checkpoint-key.sealed',
      'kek-check',
      'reader-kek.sealed',
      'session-kek.sealed',
    ]);
    for (const plain of ['kek', 'checkpoint-key.pem', 'session-kek', 'reader-kek'])
      expect(() => statSync(join(v, plain)), plain).toThrow();
    for (const f of filesUnder(join(v, 'secrets'))) expect(statSync(f.path).mode & 0o777, f.path).toBe(0o600);
    for (const f of filesUnder(dataDir))
      for (const [i, form] of forms.entries())
        expect(f.bytes.includes(form), `${f.path} form ${i}`).toBe(false);
    expect(lines.join('\n')).toContain('from MYNAKIT_KEK');
    expect(lines.join('\n')).not.toContain(kek);

    const second = await open(dataDir, kek);
    try {
      expect(second.checkpointKey.publicKey.export({ format: 'jwk' })).toEqual(publicJwk);
      expect(Buffer.from(second.deps.config.sessionKeyEncryptionKey as Uint8Array)).toEqual(session);
      expect(Buffer.from(second.deps.config.readerKeyEncryptionKey as Uint8Array)).toEqual(reader);
      const report = await verifyRecordChains(second.store, {
        checkpointPublicKey: second.checkpointKey.publicKey,
      });
      expect(report.verdict).toBe('valid');
    } finally {
      await second.close();
    }
  });

  it('fails the start with VERIFIER_KEY_WRONG_KEK under another KEK and VERIFIER_KEY_INVALID_KEK for one that is not 32 bytes, printing no key', async () => {
    const dataDir = freshDir();
    const kek = kekText();
    await (await open(dataDir, kek)).close();
    const other = kekText();
    const wrong = await open(dataDir, other).then(
      () => undefined,
      (e: unknown) => e as { code: string; message: string },
    );
    expect(wrong?.code).toBe('VERIFIER_KEY_WRONG_KEK');
    expect(wrong?.message).not.toContain(other);
    expect(wrong?.message).not.toContain(kek);
    // Without MYNAKIT_KEK the data directory's own KEK is generated — and is not the one it was sealed with.
    await expect(open(dataDir)).rejects.toMatchObject({ code: 'VERIFIER_KEY_WRONG_KEK' });
    for (const bad of ['short', randomBytes(16).toString('base64url'), `${kek}!`]) {
      const invalid = await open(dataDir, bad).then(
        () => undefined,
        (e: unknown) => e as { code: string; message: string },
      );
      expect(invalid?.code, bad).toBe('VERIFIER_KEY_INVALID_KEK');
      expect(invalid?.message).not.toContain(bad);
    }
    // Nothing was sealed afresh by the failed starts: the right KEK still opens it.
    await (await open(dataDir, kek)).close();
  });

  it('without MYNAKIT_KEK generates one once into <dataDir>/verifier/kek (owner only) and reads it again', async () => {
    const dataDir = freshDir();
    const first = await open(dataDir);
    const session = Buffer.from(first.deps.config.sessionKeyEncryptionKey as Uint8Array);
    await first.close();
    const kekFile = join(dataDir, 'verifier', 'kek');
    expect(statSync(kekFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(kekFile)).toHaveLength(32);
    const second = await open(dataDir);
    expect(Buffer.from(second.deps.config.sessionKeyEncryptionKey as Uint8Array)).toEqual(session);
    await second.close();
    // That KEK, given as MYNAKIT_KEK, is the same key.
    await (await open(dataDir, readFileSync(kekFile).toString('base64url'))).close();
  });

  it('seals the plain files of an earlier version at open, keeping their values, and removes them', async () => {
    const dataDir = freshDir();
    const v = join(dataDir, 'verifier');
    await mkdir(v, { recursive: true });
    const session = randomBytes(32);
    const reader = randomBytes(32);
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    writeFileSync(join(v, 'session-kek'), `${session.toString('base64url')}\n`, { mode: 0o600 });
    writeFileSync(join(v, 'reader-kek'), `${reader.toString('base64url')}\n`, { mode: 0o600 });
    writeFileSync(join(v, 'checkpoint-key.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }), {
      mode: 0o600,
    });
    const kek = kekText();
    const lines: string[] = [];
    const opened = await open(dataDir, kek, (l) => lines.push(l));
    try {
      expect(Buffer.from(opened.deps.config.sessionKeyEncryptionKey as Uint8Array)).toEqual(session);
      expect(Buffer.from(opened.deps.config.readerKeyEncryptionKey as Uint8Array)).toEqual(reader);
      expect(opened.checkpointKey.publicKey.export({ format: 'jwk' })).toEqual(
        publicKey.export({ format: 'jwk' }),
      );
      expect(lines.filter((l) => l.includes('into sealed form'))).toHaveLength(3);
    } finally {
      await opened.close();
    }
    for (const plain of ['checkpoint-key.pem', 'session-kek', 'reader-kek'])
      expect(() => statSync(join(v, plain)), plain).toThrow();
    for (const f of filesUnder(dataDir)) {
      expect(f.bytes.includes(session), f.path).toBe(false);
      expect(f.bytes.includes(Buffer.from(session.toString('base64url'))), f.path).toBe(false);
      expect(f.bytes.includes(privateKey.export({ type: 'pkcs8', format: 'der' })), f.path).toBe(false);
    }
    // The public key beside it, for `mynakit records verify`.
    expect(readFileSync(join(v, 'checkpoint-key.pub.pem'), 'utf8')).toBe(
      publicKey.export({ type: 'spki', format: 'pem' }),
    );
    const again = await open(dataDir, kek);
    expect(Buffer.from(again.deps.config.sessionKeyEncryptionKey as Uint8Array)).toEqual(session);
    await again.close();
  });

  it('refuses an altered sealed secret with VERIFIER_KEY_CORRUPT', async () => {
    const dataDir = freshDir();
    const kek = kekText();
    await (await open(dataDir, kek)).close();
    const file = join(dataDir, 'verifier', 'secrets', 'session-kek.sealed');
    const bytes = readFileSync(file);
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 1;
    writeFileSync(file, bytes);
    await expect(open(dataDir, kek)).rejects.toMatchObject({ code: 'VERIFIER_KEY_CORRUPT' });
  });
});
