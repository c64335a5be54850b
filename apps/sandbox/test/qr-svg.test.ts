/**
 * The QR code of a cross-device page decodes to its URL with an independent decoder (jsQR, a dev
 * dependency): the SVG this sandbox draws is read back into pixels — each `M x y h n v1 h-n z` run of its
 * one path (helpers/qr-decode.ts) — and handed to jsQR, so what is tested is what the page shows, not the
 * encoder's own matrix. The format information (ISO/IEC 18004:2015 §7.9) says error correction level M.
 */
import { describe, expect, it } from 'vitest';
import { MAX_QR_TEXT_BYTES, QR_QUIET_ZONE, qrMatrix, qrSvg } from '../src/qr-svg.js';
import { decodeQrSvg as decode } from './helpers/qr-decode.js';

/** The error correction level of the format information next to the top-left finder (§7.9.1). */
function errorCorrectionLevel(text: string): string {
  const { dark } = qrMatrix(text);
  const at = (x: number, y: number) => (dark[y]?.[x] ? 1 : 0);
  // Bits 0–7 down column 8 (skipping the timing row 6), bits 8–14 along row 8 leftwards (skipping column 6).
  const cells: [number, number][] = [
    [8, 0],
    [8, 1],
    [8, 2],
    [8, 3],
    [8, 4],
    [8, 5],
    [8, 7],
    [8, 8],
    [7, 8],
    [5, 8],
    [4, 8],
    [3, 8],
    [2, 8],
    [1, 8],
    [0, 8],
  ];
  let bits = 0;
  cells.forEach(([x, y], i) => {
    bits |= at(x, y) << i;
  });
  // The 15 bits are masked with 101010000010010; the top two of the 5 data bits are the level.
  const level = ((bits ^ 0x5412) >> 13) & 0b11;
  return ['M', 'L', 'H', 'Q'][level] as string;
}

/** A wallet URL as the verifier makes one (OpenID4VP 1.0 §5.7, request by reference). */
const WALLET_URL =
  'openid4vp://?client_id=x509_san_dns%3Alocalhost&request_uri=http%3A%2F%2Flocalhost%3A41234%2Fverifier%2Fsessions%2F0190f3a2-7c1e-7d4b-9a55-3f0c2b9e8d11%2Frequest-object';

describe('the QR code of a URL, as SVG', () => {
  it('decodes to the wallet URL with jsQR, at level M, inside a quiet zone of 4 modules', () => {
    const svg = qrSvg(WALLET_URL, { label: 'QR' });
    const decoded = decode(svg);
    expect(decoded?.data).toBe(WALLET_URL);
    const { version, size } = qrMatrix(WALLET_URL);
    expect(decoded?.version).toBe(version);
    expect(size).toBe(17 + 4 * version);
    expect(svg).toContain(`viewBox="0 0 ${size + 2 * QR_QUIET_ZONE} ${size + 2 * QR_QUIET_ZONE}"`);
    expect(svg).toContain(`data-qr-version="${version}"`);
    expect(errorCorrectionLevel(WALLET_URL)).toBe('M');
    // The smallest version for 186 bytes at level M is 9 (180 data bytes at version 8, 230 at 9).
    expect(version).toBe(9);
  });

  it('decodes short, long and non-ASCII texts, each in the smallest version that holds it', () => {
    const texts = [
      'openid4vp://?x',
      `https://localhost/${'a'.repeat(600)}`,
      `${WALLET_URL}&state=${'z'.repeat(1200)}`,
      'https://例え.テスト/本人確認?q=口座開設',
    ];
    for (const text of texts) {
      expect(decode(qrSvg(text, { label: 'QR' }))?.data, text.slice(0, 30)).toBe(text);
      expect(errorCorrectionLevel(text)).toBe('M');
    }
    expect(qrMatrix(texts[0] as string).version).toBe(1);
    expect(qrMatrix(texts[2] as string).version).toBeGreaterThan(qrMatrix(texts[1] as string).version);
  });

  it('fails to decode once the code is damaged past what level M recovers', () => {
    // The control: the same rasterisation with a third of the data region blanked cannot be read.
    const svg = qrSvg(WALLET_URL, { label: 'QR' });
    const { size } = qrMatrix(WALLET_URL);
    const damaged = svg.replace(/M(\d+) (\d+)h(\d+)v1h-\d+z/g, (run, x, y) =>
      Number(y) > QR_QUIET_ZONE + 9 && Number(y) < QR_QUIET_ZONE + size - 9 && Number(x) > QR_QUIET_ZONE + 8
        ? ''
        : run,
    );
    expect(damaged).not.toBe(svg);
    expect(decode(damaged)).toBeNull();
  });

  it('escapes its label and refuses a text longer than it holds', () => {
    const svg = qrSvg('x', { label: '"><script>alert(1)</script>' });
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('aria-label="&#34;&#62;&#60;script&#62;');
    expect(() => qrSvg('a'.repeat(MAX_QR_TEXT_BYTES + 1), { label: 'QR' })).toThrow(RangeError);
  });
});
