/**
 * The outstanding authentication tickets of one secure area: each is issued for one key, lives a few
 * seconds and is consumed by the first operation that presents it (or by none, when it expires). Kept in
 * memory on purpose: a ticket must not survive a restart of the secure area.
 */
import { randomBytes } from 'node:crypto';
import { WalletError } from '../errors.js';
import type { AuthTicket, UserAuthenticationMethod } from './secure-area.js';

/** How long a ticket lives by default: 30 seconds (Android's typical per-operation window is shorter still). */
export const DEFAULT_TICKET_LIFETIME_MS = 30_000;

/** Upper bound on outstanding tickets, so that nothing grows without end. */
const MAX_OUTSTANDING = 1024;

/** Issues and consumes tickets. */
export class AuthTickets {
  readonly #outstanding = new Map<string, AuthTicket>();
  readonly #clock: () => Date;
  readonly #lifetimeMs: number;

  /** A ticket book on `clock`, tickets living `lifetimeMs`. */
  constructor(clock: () => Date, lifetimeMs: number = DEFAULT_TICKET_LIFETIME_MS) {
    this.#clock = clock;
    this.#lifetimeMs = lifetimeMs;
  }

  /** A new ticket for one operation of `alias`. */
  issue(alias: string, method: UserAuthenticationMethod): AuthTicket {
    this.#sweep();
    const ticket: AuthTicket = Object.freeze({
      id: randomBytes(24).toString('base64url'),
      alias,
      method,
      expiresAt: new Date(this.#clock().getTime() + this.#lifetimeMs),
    });
    this.#outstanding.set(ticket.id, ticket);
    return ticket;
  }

  /**
   * Consumes `ticket` for `alias`: it must be one of ours, unused, unexpired and issued for that key.
   * Used up even when it fails for another key, so a leaked ticket is tried once at most.
   */
  consume(alias: string, ticket: AuthTicket | undefined): AuthTicket {
    if (ticket === undefined)
      throw new WalletError('WALLET_AUTHENTICATION_REQUIRED', 'this key needs user authentication');
    const held = this.#outstanding.get(ticket.id);
    this.#outstanding.delete(ticket.id);
    if (held === undefined)
      throw new WalletError('WALLET_TICKET_INVALID', 'the ticket was used before or never issued');
    if (held.alias !== alias)
      throw new WalletError('WALLET_TICKET_INVALID', 'the ticket was issued for another key');
    if (held.expiresAt.getTime() <= this.#clock().getTime())
      throw new WalletError('WALLET_TICKET_INVALID', 'the ticket has expired');
    return held;
  }

  #sweep(): void {
    const now = this.#clock().getTime();
    for (const [id, t] of this.#outstanding) if (t.expiresAt.getTime() <= now) this.#outstanding.delete(id);
    if (this.#outstanding.size >= MAX_OUTSTANDING) {
      const oldest = this.#outstanding.keys().next().value;
      if (oldest !== undefined) this.#outstanding.delete(oldest);
    }
  }
}
