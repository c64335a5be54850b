/** SessionTranscriptBytes handling: tag-24 input used as it is, bare input wrapped without re-encoding. */
import { bytesToHex, hexToBytes } from '@mynakit/cbor';
import { describe, expect, it } from 'vitest';
import { sessionTranscriptOf, startsWithTag24, toSessionTranscriptBytes, wrapInTag24 } from '../src/index.js';
import { annexD } from './vectors.js';

describe('SessionTranscriptBytes', () => {
  const tagged = annexD('session_transcript_bytes.hex');

  it('tag-24 input is returned as it is', () => {
    expect(toSessionTranscriptBytes(tagged)).toBe(tagged);
    expect(startsWithTag24(tagged)).toBe(true);
  });

  it('bare input is wrapped byte-exact, even when it is not canonical CBOR', () => {
    const bare = sessionTranscriptOf(tagged);
    expect(bytesToHex(toSessionTranscriptBytes(bare))).toBe(bytesToHex(tagged));
    // A bare transcript with a non-preferred array head stays exactly as given inside the wrapper.
    const odd = hexToBytes('9900 03f6f6f6'.replace(' ', ''));
    expect(bytesToHex(toSessionTranscriptBytes(odd))).toBe(`d81846${bytesToHex(odd)}`);
  });

  it('a tag-24 input with a non-preferred head is accepted as it is', () => {
    const odd = hexToBytes('d90018590003830102f6'.slice(0, 18));
    expect(toSessionTranscriptBytes(odd)).toBe(odd);
    expect(bytesToHex(sessionTranscriptOf(odd))).toBe('830102');
  });

  it('a tag-24 input whose byte string does not span the input is refused', () => {
    expect(() => toSessionTranscriptBytes(hexToBytes('d8184583f6f6f6'))).toThrow(
      expect.objectContaining({ code: 'MDOC_DECODE' }),
    );
    expect(() => toSessionTranscriptBytes(hexToBytes('d8184383f6f6f6'))).toThrow(
      expect.objectContaining({ code: 'MDOC_DECODE' }),
    );
  });

  it('wraps with preferred heads for every length class', () => {
    for (const n of [0, 23, 24, 255, 256, 65535, 65536]) {
      const w = wrapInTag24(new Uint8Array(n));
      expect(bytesToHex(sessionTranscriptOf(w))).toBe(bytesToHex(new Uint8Array(n)));
    }
  });
});
