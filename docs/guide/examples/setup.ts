/**
 * Your relying party in the sandbox (docs/guide/): the sandbox's verifier keeps its operator token in
 * `<dataDir>/verifier/admin-token` and the issuer's IACAs (the trust anchors of card-substitute records) in
 * `<dataDir>/issuer/ca/mnc-iaca-*.pem`. `scripts/test/guide.test.ts` runs this.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** DER base64 of a PEM certificate. */
function pemBody(pem: string): string {
  return pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
}

/** Creates a relying party for your page at the sandbox's verifier; answers its id and API key. */
export async function createRelyingParty(
  sandboxUrl: string,
  dataDir: string,
  pageOrigin: string,
): Promise<{ id: string; apiKey: string }> {
  // #region create-relying-party
  const token = (await readFile(join(dataDir, 'verifier', 'admin-token'), 'utf8')).trim();
  const caDir = join(dataDir, 'issuer', 'ca');
  const iacas = (await readdir(caDir)).filter((f) => f.startsWith('mnc-iaca-'));
  const trustAnchors = await Promise.all(
    iacas.map(async (f) => pemBody(await readFile(join(caDir, f), 'utf8'))),
  );
  const created = await fetch(`${sandboxUrl}/verifier/relying-parties`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'My Shop',
      clientId: 'x509_san_dns:shop.example',
      law: 'hanshu', // 犯収法: the method letter is ル until 2027-03-31, 新ト after
      origins: [pageOrigin], // sessions are bound to the page's origin
      trustAnchors,
      verificationProgram: { name: 'my-shop-kyc', version: '1.0.0', certified: false },
    }),
  });
  const { relyingParty, apiKey } = (await created.json()) as {
    relyingParty: { id: string };
    apiKey: { apiKey: string };
  };
  // #endregion create-relying-party
  return { id: relyingParty.id, apiKey: apiKey.apiKey };
}
