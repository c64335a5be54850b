import { createHash, createHmac, randomBytes, scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTxCodeVerifier, TX_CODE_VERIFIER_PREFIX, verifyTxCode } from '../src/store/index.js';

const code = () => randomBytes(32).toString('base64url');

describe('tx_code verifier (HMAC-SHA-256 keyed by the pre-authorized code)', () => {
  it('is self-describing, accepts the right tx_code and refuses a wrong one', async () => {
    const c = code();
    const v = createTxCodeVerifier('493817', c);
    expect(v.startsWith(TX_CODE_VERIFIER_PREFIX)).toBe(true);
    expect(v).toMatch(/^hmac-sha256\$v1\$[A-Za-z0-9_-]{43}$/);
    expect(v).not.toContain('493817');
    expect(await verifyTxCode('493817', c, v)).toBe(true);
    expect(await verifyTxCode('493818', c, v)).toBe(false);
    expect(await verifyTxCode('', c, v)).toBe(false);
  });

  it('is bound to its offer: another pre-authorized code does not verify it', async () => {
    const [a, b] = [code(), code()];
    const v = createTxCodeVerifier('493817', a);
    expect(createTxCodeVerifier('493817', b)).not.toBe(v);
    expect(await verifyTxCode('493817', b, v)).toBe(false);
  });

  it('cannot be recomputed from the stored SHA-256 of a long code (RFC 2104 §2 hashes long keys)', async () => {
    const long = 'x'.repeat(200);
    const v = createTxCodeVerifier('493817', long);
    const storedHash = createHash('sha256').update(long, 'utf8').digest();
    const fromHash = createHmac('sha256', storedHash).update('493817', 'utf8').digest('base64url');
    expect(v).not.toBe(`${TX_CODE_VERIFIER_PREFIX}${fromHash}`);
    expect(await verifyTxCode('493817', long, v)).toBe(true);
  });

  it('refuses verifiers of no known form and truncated ones', async () => {
    const c = code();
    const v = createTxCodeVerifier('493817', c);
    for (const bad of ['', 'plain', `${TX_CODE_VERIFIER_PREFIX}`, v.slice(0, -1), `${v}A`, 'scrypt$x'])
      expect(await verifyTxCode('493817', c, bad)).toBe(false);
  });

  it('still checks the earlier scrypt$N$r$p$salt$hash verifiers (offers made before an upgrade)', async () => {
    const salt = randomBytes(16);
    const hash = scryptSync('493817', salt, 32, { N: 1024, r: 8, p: 1 });
    const legacy = `scrypt$1024$8$1$${salt.toString('base64url')}$${hash.toString('base64url')}`;
    expect(await verifyTxCode('493817', code(), legacy)).toBe(true);
    expect(await verifyTxCode('000000', code(), legacy)).toBe(false);
  });
});
