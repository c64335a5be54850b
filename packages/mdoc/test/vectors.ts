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
  readonly dir: string;
  readonly kind: 'device-response' | 'issuer-signed';
  readonly anchors: readonly string[];
  readonly now: Date;
  readonly expectedValid: boolean;
  readonly docType?: string;
}

/** Every case of real-world/ with its verification time, anchors and expected verdict (case.json). */
export function realWorldCases(): RealWorldCase[] {
  const root = join(VECTORS, 'real-world');
  const out: RealWorldCase[] = [];
  for (const group of ['auth0-examples', 'wallet-responses']) {
    for (const name of readdirSync(join(root, group)).sort()) {
      const dir = join(root, group, name);
      const c = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8'));
      const anchorFiles: string[] =
        c.trust_anchors ?? (existsSync(join(dir, 'issuer.pem')) ? ['issuer.pem'] : ['cert0.pem']);
      out.push({
        id: c.id ?? name,
        dir,
        kind: existsSync(join(dir, 'device_response.hex')) ? 'device-response' : 'issuer-signed',
        anchors: anchorFiles.map((f) => readFileSync(join(dir, f), 'utf8')),
        now: new Date(c.verification_time),
        expectedValid: c.expected.valid === true,
        ...(c.docType ? { docType: c.docType } : {}),
      });
    }
  }
  return out;
}
