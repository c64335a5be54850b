/** Loading the public vectors (read-only test data, found by @mynakit/test-vectors). */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hexToBytes } from '@mynakit/cbor';
import { VECTORS_DIR } from '@mynakit/test-vectors';

export const VECTORS = VECTORS_DIR;
export const ANNEX_D = join(VECTORS, 'iso-18013-5-annex-d');

export const hexFile = (path: string): Uint8Array => hexToBytes(readFileSync(path, 'utf8').trim());
export const annexD = (name: string): Uint8Array => hexFile(join(ANNEX_D, name));
export const annexDPem = (name: string): string => readFileSync(join(ANNEX_D, name), 'utf8');
export const annexDKeys = (): Record<
  'EReaderKey' | 'EDeviceKey' | 'SDeviceKey',
  { x: string; y: string; d: string }
> => JSON.parse(readFileSync(join(ANNEX_D, 'keys.json'), 'utf8'));

export interface RealWorldCase {
  readonly id: string;
  /** The group folder (wallet-responses, auth0-examples, eudi-reference-wallet, …). */
  readonly group: string;
  readonly dir: string;
  /** A DeviceResponse (device_response.hex + session_transcript_bytes.hex), or an IssuerSigned alone. */
  readonly kind: 'device-response' | 'issuer-signed';
  /** The trust anchors of case.json, as PEM text. */
  readonly anchors: readonly string[];
  readonly now: Date;
  readonly expectedValid: boolean;
  readonly docType?: string;
  /** The reader's ephemeral private key file (hex d), where the case gives one (deviceMac). */
  readonly readerKeyFile?: string;
  /** Its 32 bytes. */
  readonly readerKey?: Uint8Array;
}

const READER_KEY_FILE = 'reader_ephemeral_key_d.hex';

/**
 * Every case of real-world/ — every group folder, whatever it is called — with its case.json: trust
 * anchors (`trust_anchors`, else `trust_anchor`, else the group's convention issuer.pem / cert0.pem),
 * `verification_time`, `expected.valid`, `docType`, `kind` (or the files present: issuer_signed.hex
 * for an IssuerSigned alone) and a reader key file where one is given.
 */
export function realWorldCases(): RealWorldCase[] {
  const root = join(VECTORS, 'real-world');
  const out: RealWorldCase[] = [];
  const dirs = (at: string) =>
    readdirSync(at, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
  for (const group of dirs(root)) {
    for (const name of dirs(join(root, group))) {
      const dir = join(root, group, name);
      if (!existsSync(join(dir, 'case.json'))) continue;
      const c = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8'));
      const anchorFiles: string[] =
        c.trust_anchors ??
        (typeof c.trust_anchor === 'string'
          ? [c.trust_anchor]
          : existsSync(join(dir, 'issuer.pem'))
            ? ['issuer.pem']
            : ['cert0.pem']);
      const issuerSignedOnly =
        (typeof c.kind === 'string' && /^IssuerSigned/i.test(c.kind)) ||
        (!existsSync(join(dir, 'device_response.hex')) && existsSync(join(dir, 'issuer_signed.hex')));
      const readerKeyFile = existsSync(join(dir, READER_KEY_FILE)) ? join(dir, READER_KEY_FILE) : undefined;
      out.push({
        id: c.id ?? name,
        group,
        dir,
        kind: issuerSignedOnly ? 'issuer-signed' : 'device-response',
        anchors: anchorFiles.map((f) => readFileSync(join(dir, f), 'utf8')),
        now: new Date(c.verification_time),
        expectedValid: c.expected?.valid === true,
        ...(c.docType ? { docType: c.docType } : {}),
        ...(readerKeyFile ? { readerKeyFile, readerKey: hexFile(readerKeyFile) } : {}),
      });
    }
  }
  return out;
}
