/**
 * `createWalletApp` — the phone emulator over the wallet engine as a Hono app (tests call
 * `app.request()`): the overview page at `/`, the phones' summaries as JSON, and the issuer's
 * reachability. Everything it needs is an argument — the open phones, the issuer client (absent when none
 * is configured), the clock — so the same app runs alone (`mynakit wallet`) and inside the sandbox.
 *
 * Routes:
 *   GET /               the overview page (HTTP 200 whether or not an issuer is configured or reachable)
 *   GET /phones         `{ phones: PhoneSummary[] }`
 *   GET /phones/:id     one PhoneSummary; 404 problem WALLET_NOT_FOUND for an unknown phone
 *   GET /issuer-status  `IssuerStatus`
 *   GET /health         `{ status: 'ok' }`
 */
import { Hono } from 'hono';
import { routePath } from 'hono/route';
import type { WalletDevice } from '../device/wallet-device.js';
import type { IssuerClient } from '../installation/issuer-client.js';
import { probeIssuer } from './issuer-status.js';
import { renderPhonesPage } from './phone-page.js';
import { summarizePhone } from './phone-summary.js';

/** What the wallet app is given. */
export interface WalletAppDeps {
  /** The phones this wallet emulates, in display order (ids unique). */
  readonly phones: readonly WalletDevice[];
  /** The issuer the phones install from; absent when none is configured. */
  readonly issuer?: IssuerClient;
  /** One line per request, never personal data (default: nothing is written). */
  readonly log?: (line: string) => void;
}

function problem(status: 404 | 500, code: string, title: string): Response {
  return new Response(JSON.stringify({ type: 'about:blank', status, title, code }), {
    status,
    headers: { 'content-type': 'application/problem+json' },
  });
}

/** The wallet as a Hono app (see the file comment). */
export function createWalletApp(deps: WalletAppDeps): Hono {
  const byId = new Map(deps.phones.map((p) => [p.id, p]));
  if (byId.size !== deps.phones.length) throw new TypeError('phone ids must be unique');
  const app = new Hono();
  const log = deps.log;
  if (log) {
    app.use('*', async (c, next) => {
      const started = performance.now();
      await next();
      let pattern = '(unmatched)';
      try {
        pattern = routePath(c);
      } catch {}
      // The route pattern, never the path: a phone id or query could be chosen to carry anything.
      log(`wallet ${c.req.method} ${pattern} ${c.res.status} ${(performance.now() - started).toFixed(1)}ms`);
    });
  }
  app.get('/', async (c) => {
    const [phones, issuer] = await Promise.all([
      Promise.all(deps.phones.map(summarizePhone)),
      probeIssuer(deps.issuer),
    ]);
    return c.html(renderPhonesPage(phones, issuer));
  });
  app.get('/phones', async (c) => c.json({ phones: await Promise.all(deps.phones.map(summarizePhone)) }));
  app.get('/phones/:id', async (c) => {
    const phone = byId.get(c.req.param('id'));
    if (phone === undefined) return problem(404, 'WALLET_NOT_FOUND', 'No such phone');
    return c.json(await summarizePhone(phone));
  });
  app.get('/issuer-status', async (c) => c.json(await probeIssuer(deps.issuer)));
  app.get('/health', (c) => c.json({ status: 'ok' }));
  app.notFound(() => problem(404, 'WALLET_NOT_FOUND', 'Not found'));
  app.onError((err) => {
    log?.(`wallet error ${(err as Error).name ?? 'Error'}`);
    return problem(500, 'WALLET_INTERNAL', 'Internal error');
  });
  return app;
}
