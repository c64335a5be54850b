/**
 * A verifier process appending verification records to one PostgreSQL (records-two-processes.pg.test.ts):
 * `<url> <relyingPartyId> <ownWriterId> <count>` — each round appends one record to the process's own chain
 * and one to the chain `shared` (which the other process also writes, so the compare-and-set on
 * (chain_id, seq) decides), then signs checkpoints. Prints `done <n>` and exits 0.
 */
import { createPrivateKey } from 'node:crypto';
import { es256Signer, signCheckpoints } from '../../src/records/checkpoints.js';
import { appendVerificationRecord } from '../../src/records/record-chains.js';
import { openVerifierStore } from '../../src/store/index.js';
import { recordContent, T0 } from '../store.cases.js';

const [url, relyingPartyId, writerId, countText, keyPem] = process.argv.slice(2);
if (url === undefined || relyingPartyId === undefined || writerId === undefined || keyPem === undefined)
  throw new Error('usage: append-records-worker <url> <relyingPartyId> <writerId> <count> <pkcs8 pem>');
const count = Number(countText);
const store = await openVerifierStore({ url, poolSize: 4 });
try {
  const privateKey = createPrivateKey(keyPem);
  for (let i = 0; i < count; i++) {
    await Promise.all([
      appendVerificationRecord(store, {
        relyingPartyId,
        writerId,
        content: recordContent(i) as never,
        now: T0 + i,
      }),
      appendVerificationRecord(store, {
        relyingPartyId,
        writerId: 'shared',
        content: recordContent(i) as never,
        now: T0 + i,
      }),
    ]);
    if (i % 10 === 9) await signCheckpoints(store, es256Signer(privateKey), T0 + i);
  }
  await signCheckpoints(store, es256Signer(privateKey), T0 + count);
  process.stdout.write(`done ${count}\n`);
} finally {
  await store.close();
}
