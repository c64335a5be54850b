/**
 * The emulator's installation routes (sandbox only: they need the test cards and the IACAs the phones
 * trust). The holder's steps of services/wallet `installCredentials` and `addRecord` as forms:
 *
 *   POST /phones/:id/install  residentId, newAuthPin, newAuthPinAgain, newSignaturePassword,
 *                             newSignaturePasswordAgain (15 and over), liveness=confirmed
 *                             → reads that resident's test card, types its PINs, and installs: on an
 *                             iPhone-like phone the record and both certificates, on an Android-like one
 *                             the certificates (the record follows with /record)
 *   POST /phones/:id/record   biometric=matched|failed → the Android family's record, added without the card
 *
 * A JSON request gets JSON; a form is redirected (303) back to the overview page. Secrets typed here are
 * never logged or echoed.
 */
import type { Hono } from 'hono';
import type { WalletDevice } from '../device/wallet-device.js';
import { WalletError } from '../errors.js';
import { addRecord } from '../installation/add-record.js';
import { installCredentials } from '../installation/install.js';
import type { IssuerClient } from '../installation/issuer-client.js';
import type { JpkiTrust } from '../installation/verify-received-certificate.js';
import type { SandboxCardShelf } from './card-shelf.js';

/** What installing from the emulator needs. */
export interface EmulatorInstallation {
  readonly cards: SandboxCardShelf;
  /** The IACAs the phones accept received documents from (DER). */
  readonly trustAnchors: readonly Uint8Array[];
  /** Besides the record, configurations every installation asks for (the sandbox's sample mDL). */
  readonly alsoRequest?: readonly string[];
  /** The JPKI CAs and policies received certificates must chain to and follow (install.ts). */
  readonly jpkiTrust?: JpkiTrust;
}

/** Route helpers the wallet app shares. */
export interface InstallRouteContext {
  readonly phone: (id: string) => WalletDevice | undefined;
  readonly issuer: IssuerClient | undefined;
  readonly isOffline: (id: string) => boolean;
  readonly fields: (request: Request) => Promise<Map<string, string>>;
  readonly wantsJson: (request: Request) => boolean;
  readonly log?: (line: string) => void;
}

function required(fields: Map<string, string>, name: string): string {
  const v = fields.get(name);
  if (v === undefined || v === '') throw new WalletError('WALLET_INVALID_INPUT', `${name} is required`);
  return v;
}

/** Registers the installation routes on `app`. */
export function registerInstallRoutes(
  app: Hono,
  install: EmulatorInstallation,
  ctx: InstallRouteContext,
): void {
  const ready = (id: string): { phone: WalletDevice; issuer: IssuerClient } => {
    const phone = ctx.phone(id);
    if (phone === undefined) throw new WalletError('WALLET_NOT_FOUND', 'no such phone');
    if (ctx.isOffline(id)) throw new WalletError('WALLET_OFFLINE', 'the phone is offline');
    if (ctx.issuer === undefined)
      throw new WalletError('WALLET_ISSUER_NOT_CONFIGURED', 'no issuer is configured');
    return { phone, issuer: ctx.issuer };
  };

  app.post('/phones/:id/install', async (c) => {
    const { phone, issuer } = ready(c.req.param('id'));
    const f = await ctx.fields(c.req.raw);
    const { card, pins } = await install.cards.take(required(f, 'residentId'));
    const adult = card.signatureCertificate !== undefined;
    const result = await installCredentials({
      device: phone,
      issuer,
      card,
      cardPins: pins,
      liveness: { confirmed: f.get('liveness') === 'confirmed' },
      newAuthPin: [required(f, 'newAuthPin'), required(f, 'newAuthPinAgain')],
      ...(adult
        ? {
            newSignaturePassword: [
              required(f, 'newSignaturePassword'),
              required(f, 'newSignaturePasswordAgain'),
            ],
          }
        : {}),
      biometric: { method: 'biometric', matched: true },
      trustAnchors: install.trustAnchors,
      ...(install.alsoRequest === undefined ? {} : { alsoRequest: install.alsoRequest }),
      ...(install.jpkiTrust === undefined ? {} : { jpkiTrust: install.jpkiTrust }),
      // OpenID4VCI notifications the issuer did not take are logged (event and status only).
      ...(ctx.log === undefined ? {} : { log: ctx.log }),
    });
    ctx.log?.(`wallet: an installation on a ${phone.family} phone is ${result.state}`);
    if (!ctx.wantsJson(c.req.raw)) return c.redirect('../../', 303);
    return c.json({
      installationId: result.installationId,
      state: result.state,
      documents: result.documents.map((d) => ({ docType: d.docType, state: d.state })),
      certificates: result.certificates.map((x) => ({ purpose: x.purpose, state: x.state })),
    });
  });

  app.post('/phones/:id/record', async (c) => {
    const { phone, issuer } = ready(c.req.param('id'));
    const biometric = (await ctx.fields(c.req.raw)).get('biometric');
    if (biometric !== 'matched' && biometric !== 'failed')
      throw new WalletError('WALLET_INVALID_INPUT', 'biometric must be matched or failed');
    const evidence = { method: 'biometric', matched: biometric === 'matched' } as const;
    const documents = await addRecord({
      device: phone,
      issuer,
      authentication: evidence,
      biometric: evidence,
      trustAnchors: install.trustAnchors,
      ...(install.alsoRequest === undefined ? {} : { alsoRequest: install.alsoRequest }),
      ...(ctx.log === undefined ? {} : { log: ctx.log }),
    });
    if (!ctx.wantsJson(c.req.raw)) return c.redirect('../../', 303);
    return c.json({ documents: documents.map((d) => ({ docType: d.docType, state: d.state })) });
  });
}
