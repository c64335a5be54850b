import { describe, expect, it } from 'vitest';
import { diagnose, hexToBytes } from '../src/index.js';
import { readHex } from './helpers/vectors.js';

const d = (hex: string, indent?: number) =>
  diagnose(hexToBytes(hex.replace(/\s/g, '')), indent === undefined ? undefined : { indent });

describe('diagnose (RFC 8949 §8)', () => {
  it("shows embedded CBOR in tag 24 as <<…>>, and falls back to h'…' when it is not one item", () => {
    expect(d('d818 43 a10126')).toBe('24(<<{1: -7}>>)');
    expect(d('d818 42 0101')).toBe("24(h'0101')"); // two items: not one embedded item
    expect(d('d818 41 ff')).toBe("24(h'ff')"); // not well-formed
    expect(d('d818 5f 4101 4102 ff')).toBe("24((_ h'01', h'02'))"); // indefinite bstr shown as chunks
    expect(d('d818 01')).toBe('24(1)'); // not a bstr at all
    expect(d('d818 45 d818 42 0102')).toBe("24(<<24(h'0102')>>)");
  });

  it('shows what was received, not a normalised value', () => {
    expect(d('1801')).toBe('1');
    expect(d('b9 0001 6161 f93c00')).toBe('{"a": 1.0}');
    expect(d('9f ff')).toBe('[_ ]');
    expect(d('bf ff')).toBe('{_ }');
    expect(d('5f ff')).toBe("''_");
    expect(d('7f ff')).toBe('""_');
    expect(d('c2 49 010000000000000000')).toBe("2(h'010000000000000000')");
    expect(d('fa 3fc00000')).toBe('1.5');
    expect(d('fb 7e37e43c8800759c')).toBe('1.0e+300');
    expect(d('3b ffffffffffffffff')).toBe('-18446744073709551616');
    expect(d('1b 0020000000000000')).toBe('9007199254740992');
    expect(d('f7')).toBe('undefined');
    expect(d('f8 20')).toBe('simple(32)');
    expect(d('62 0a22')).toBe('"\\n\\""');
  });

  it('indents nested arrays and maps on request', () => {
    expect(d('a2 6161 82 01 02 6162 a0', 2)).toBe('{\n  "a": [\n    1,\n    2\n  ],\n  "b": {}\n}');
    expect(d('81 d818 43 a10126', 2)).toBe('[\n  24(<<{\n    1: -7\n  }>>)\n]');
  });

  it('expandByteStrings shows byte strings holding one container as <<…>>', () => {
    const x = (hex: string) => diagnose(hexToBytes(hex.replace(/\s/g, '')), { expandByteStrings: true });
    expect(x('84 43 a10126 a0 f6 40')).toBe("[<<{1: -7}>>, {}, null, h'']");
    expect(x('41 01')).toBe("h'01'"); // a scalar is not expanded
    expect(x('42 a0 00')).toBe("h'a000'"); // not exactly one item
    expect(x('41 a1')).toBe("h'a1'"); // not well-formed
    expect(x('d818 43 a10126')).toBe('24(<<{1: -7}>>)');
    const annexD = diagnose(readHex('iso-18013-5-annex-d/device_response.hex'), { expandByteStrings: true });
    expect(annexD).toContain('"docType": "org.iso.18013.5.1.mDL", "validityInfo"');
  });

  it('prints the Annex D DeviceResponse with its IssuerSignedItems embedded', () => {
    const text = diagnose(readHex('iso-18013-5-annex-d/device_response.hex'), { indent: 2 });
    expect(text.startsWith('{\n  "version": "1.0",\n  "documents": [')).toBe(true);
    expect(text).toContain('"elementIdentifier": "family_name",');
    expect(text).toContain('"elementValue": 1004("2019-10-20")');
    // The MSO is a tag 24 inside the issuerAuth payload bstr: that bstr is not a tag 24 itself, so it stays hex,
    // while the IssuerSignedItemBytes (tag 24) are shown embedded.
    expect(text.match(/24\(<<\{/g)?.length).toBe(6 + 1); // six items + DeviceNameSpacesBytes
    expect(text.endsWith('\n  "status": 0\n}')).toBe(true);
  });
});
