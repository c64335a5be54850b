/**
 * One issuer process for the tests that run several (installations-processes.pg.test.ts): starts the
 * issuer on a free port with the given data directory and database, prints `listening <url>`, and stops
 * when its stdin closes.
 *
 *   node --conditions=source --import tsx server-worker.ts <dataDir> <databaseUrl>
 */
import { startIssuer } from '../src/server.js';

const [dataDir, databaseUrl] = process.argv.slice(2);
if (!dataDir || !databaseUrl) throw new Error('usage: server-worker.ts <dataDir> <databaseUrl>');
const issuer = await startIssuer({ port: 0, dataDir, databaseUrl, pinKdf: { N: 1024, r: 8, p: 1 } });
process.stdout.write(`listening ${issuer.url}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void issuer.close().then(() => process.exit(0));
});
