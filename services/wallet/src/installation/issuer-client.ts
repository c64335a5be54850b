/**
 * The issuer's HTTP API as the phone calls it (services/issuer README "Routes"): the installation steps
 * and the OpenID4VCI endpoints. Base URL and `fetch` are injected, so tests use the issuer app's
 * `app.fetch` in-process and a deployment a real server. Error answers — RFC 9457 problems with a `code`,
 * or OAuth errors with `error` — become WALLET_ISSUER_REFUSED carrying that code.
 */
import { WalletError } from '../errors.js';

/** A `fetch` function (the global one, or a Hono app's `fetch`). */
export type FetchFunction = (request: Request) => Response | Promise<Response>;

/** Where the issuer is and how to reach it. */
export interface IssuerClientOptions {
  /** The issuer's base URL (its routes are relative to it), e.g. `http://127.0.0.1:8401`. */
  readonly baseUrl: string;
  /** Default: the global fetch. */
  readonly fetch?: FetchFunction;
}

/** Largest answer read (an mdoc with a portrait fits easily). */
const MAX_ANSWER_CHARS = 4_000_000;

/** A JSON client of one issuer. */
export class IssuerClient {
  /** The base URL without a trailing slash. */
  readonly baseUrl: string;
  readonly #fetch: FetchFunction;

  /** A client of the issuer at `options.baseUrl`. */
  constructor(options: IssuerClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#fetch = options.fetch ?? ((r) => fetch(r));
  }

  /** The absolute URL of a route (absolute URLs pass unchanged). */
  url(pathOrUrl: string): string {
    return /^https?:\/\//.test(pathOrUrl) ? pathOrUrl : `${this.baseUrl}${pathOrUrl}`;
  }

  /** GET a JSON document; `signal` aborts the request (a probe must not outlive its timeout). */
  getJson(pathOrUrl: string, options: { signal?: AbortSignal } = {}): Promise<Record<string, unknown>> {
    return this.#send(
      new Request(this.url(pathOrUrl), {
        method: 'GET',
        headers: { accept: 'application/json' },
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      }),
    );
  }

  /** POST a JSON body (or none) with optional headers. */
  postJson(
    pathOrUrl: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Record<string, unknown>> {
    return this.#send(
      new Request(this.url(pathOrUrl), {
        method: 'POST',
        headers: {
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    );
  }

  /**
   * POST a JSON body and answer only how the issuer took it: the HTTP status and, for a refusal, its
   * problem `code` or OAuth `error`. Never throws for an HTTP answer (a transport error or `signal`
   * aborting still throws): for requests whose answer carries nothing the phone needs (notifications).
   */
  async postJsonStatus(
    pathOrUrl: string,
    body: unknown,
    headers: Record<string, string>,
    signal?: AbortSignal,
  ): Promise<{ readonly status: number; readonly code?: string }> {
    const response = await this.#fetch(
      new Request(this.url(pathOrUrl), {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
        ...(signal === undefined ? {} : { signal }),
      }),
    );
    if (response.ok) {
      await response.body?.cancel();
      return { status: response.status };
    }
    let code: string | undefined;
    try {
      await this.#answer(response);
    } catch (e) {
      // #answer throws for every refusal; an answer without JSON carries no code.
      code = e instanceof WalletError ? e.issuerCode : undefined;
    }
    return { status: response.status, ...(code === undefined ? {} : { code }) };
  }

  /**
   * GET a response to read as a stream (server-sent events). A refusal becomes WALLET_ISSUER_REFUSED with
   * the problem's `code`, as for JSON answers; a success is handed back unread.
   */
  async openStream(
    pathOrUrl: string,
    headers: Record<string, string>,
    signal?: AbortSignal,
  ): Promise<Response> {
    const request = new Request(this.url(pathOrUrl), {
      method: 'GET',
      headers: { accept: 'text/event-stream', ...headers },
      ...(signal === undefined ? {} : { signal }),
    });
    const response = await this.#fetch(request);
    if (response.ok && response.body !== null) return response;
    // Reads the refusal the same way as a JSON answer (bounded, code taken from the problem).
    await this.#answer(response);
    throw new WalletError('WALLET_ISSUER_RESPONSE', 'the issuer answered a stream without a body');
  }

  /** POST a form (OAuth token requests). */
  postForm(pathOrUrl: string, form: URLSearchParams): Promise<Record<string, unknown>> {
    return this.#send(
      new Request(this.url(pathOrUrl), {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
      }),
    );
  }

  async #send(request: Request): Promise<Record<string, unknown>> {
    return this.#answer(await this.#fetch(request));
  }

  async #answer(response: Response): Promise<Record<string, unknown>> {
    const text = await response.text();
    if (text.length > MAX_ANSWER_CHARS)
      throw new WalletError('WALLET_ISSUER_RESPONSE', 'the issuer answered more than the wallet reads');
    let json: unknown;
    try {
      json = text === '' ? {} : JSON.parse(text);
    } catch (e) {
      throw new WalletError('WALLET_ISSUER_RESPONSE', `the issuer answered ${response.status} without JSON`, {
        cause: e,
      });
    }
    if (json === null || typeof json !== 'object' || Array.isArray(json))
      throw new WalletError('WALLET_ISSUER_RESPONSE', 'the issuer answered no JSON object');
    const o = json as Record<string, unknown>;
    if (!response.ok) {
      const code =
        typeof o.code === 'string'
          ? o.code
          : typeof o.error === 'string'
            ? o.error
            : `HTTP_${response.status}`;
      throw new WalletError('WALLET_ISSUER_REFUSED', `the issuer refused (${response.status} ${code})`, {
        issuerCode: code,
      });
    }
    return o;
  }
}

/** A string member of an issuer answer (WALLET_ISSUER_RESPONSE when missing). */
export function stringOf(o: Record<string, unknown>, name: string): string {
  const v = Object.hasOwn(o, name) ? o[name] : undefined;
  if (typeof v !== 'string' || v.length === 0)
    throw new WalletError('WALLET_ISSUER_RESPONSE', `the issuer's answer has no ${name}`);
  return v;
}

/** An object member of an issuer answer, or undefined. */
export function objectOf(o: Record<string, unknown>, name: string): Record<string, unknown> | undefined {
  const v = Object.hasOwn(o, name) ? o[name] : undefined;
  return v !== null && typeof v === 'object' && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}
