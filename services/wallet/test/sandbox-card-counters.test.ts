/**
 * The sandbox card keeps its try counters beside its file, as the chip keeps them across power cycles
 * (DOMAIN.md §3 "PINs": the input-support PIN locks after 3 wrong tries). Each re-read is a new
 * SandboxCard.read, as after a sandbox restart.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardCountersPath, type SandboxCard, WalletError } from '../src/index.js';
import { cardPinsOf, type IssuerEnvironment, issuerEnvironment } from './helpers/issuer-fixture.js';

let env: IssuerEnvironment;
beforeAll(async () => {
  env = await issuerEnvironment();
}, 120_000);
afterAll(async () => {
  await env?.close();
});

/** The stable code and tries left of what `f` throws. */
function failure(f: () => void): { code: string; remainingTries?: number } {
  try {
    f();
  } catch (e) {
    if (e instanceof WalletError)
      return e.remainingTries === undefined
        ? { code: e.code }
        : { code: e.code, remainingTries: e.remainingTries };
    throw e;
  }
  return { code: 'resolved' };
}

const wrongPin = (card: SandboxCard) => () => card.verifyPin('inputSupportPin', '0000');

describe('sandbox card try counters', () => {
  it('keeps two wrong input-support PINs across a re-read, then locks for good on the third', async () => {
    const resident = 'sandbox-ordinary-female';
    const pins = await cardPinsOf(env, resident);
    expect(pins.inputSupportPin).not.toBe('0000');
    const first = await env.card(resident);
    expect(failure(wrongPin(first))).toEqual({ code: 'WALLET_CARD_PIN_WRONG', remainingTries: 2 });
    expect(failure(wrongPin(first))).toEqual({ code: 'WALLET_CARD_PIN_WRONG', remainingTries: 1 });

    const restarted = await env.card(resident);
    expect(restarted.remainingTries('inputSupportPin')).toBe(1);
    expect(failure(wrongPin(restarted))).toEqual({ code: 'WALLET_CARD_PIN_LOCKED', remainingTries: 0 });

    const again = await env.card(resident);
    expect(again.remainingTries('inputSupportPin')).toBe(0);
    // Locked: even the right PIN is refused, and no counter comes back.
    expect(failure(() => again.verifyPin('inputSupportPin', pins.inputSupportPin))).toEqual({
      code: 'WALLET_CARD_PIN_LOCKED',
    });
    expect((await env.card(resident)).remainingTries('inputSupportPin')).toBe(0);
    // The other PINs keep their own counters.
    expect(again.remainingTries('userAuthenticationPin')).toBe(3);
    expect(again.remainingTries('signaturePassword')).toBe(5);
  });

  it('resets the counter to 3 on a correct PIN after a wrong one, and never stores the PIN', async () => {
    const resident = 'sandbox-ordinary-male';
    const pins = await cardPinsOf(env, resident);
    const card = await env.card(resident);
    expect(failure(wrongPin(card))).toEqual({ code: 'WALLET_CARD_PIN_WRONG', remainingTries: 2 });
    expect((await env.card(resident)).remainingTries('inputSupportPin')).toBe(2);
    card.verifyPin('inputSupportPin', pins.inputSupportPin);
    expect((await env.card(resident)).remainingTries('inputSupportPin')).toBe(3);

    const path = cardCountersPath(join(env.issuer.cardDirectory, `${resident}.json`));
    const text = await readFile(path, 'utf8');
    // The card's id and the counts, nothing else.
    expect(JSON.parse(text)).toEqual({
      format: 'mynakit-sandbox-card-counters/1',
      cardId: expect.any(String),
      remainingTries: { inputSupportPin: 3, signaturePassword: 5, userAuthenticationPin: 3 },
    });
  });

  it('refuses a corrupt or oversized counters file with a stable error, never as unlocked', async () => {
    const resident = 'sandbox-sex-unknown';
    const pins = await cardPinsOf(env, resident);
    const card = await env.card(resident);
    const path = cardCountersPath(join(env.issuer.cardDirectory, `${resident}.json`));
    const unusable = async () => {
      const read = await env.card(resident).then(
        () => 'resolved',
        (e: unknown) => (e instanceof WalletError ? e.code : 'other'),
      );
      expect(read).toBe('WALLET_CARD_COUNTERS_UNUSABLE');
      expect(failure(() => card.verifyPin('inputSupportPin', pins.inputSupportPin))).toEqual({
        code: 'WALLET_CARD_COUNTERS_UNUSABLE',
      });
    };

    await writeFile(path, '{"format":"mynakit-sandbox-card-counters/1","cardId":');
    await unusable();
    const good = {
      format: 'mynakit-sandbox-card-counters/1',
      cardId: 'x',
      remainingTries: { inputSupportPin: 3, signaturePassword: 5, userAuthenticationPin: 3 },
    };
    await writeFile(
      path,
      JSON.stringify({ ...good, remainingTries: { ...good.remainingTries, inputSupportPin: 9 } }),
    );
    await unusable();
    await writeFile(path, JSON.stringify({ ...good, remainingTries: { inputSupportPin: 3 } }));
    await unusable();
    await writeFile(path, JSON.stringify({ ...good, padding: 'x'.repeat(4096) }));
    await unusable();

    // Counters of another card (the resident's card was re-issued) do not apply to this one.
    await writeFile(
      path,
      JSON.stringify({ ...good, remainingTries: { ...good.remainingTries, inputSupportPin: 0 } }),
    );
    expect((await env.card(resident)).remainingTries('inputSupportPin')).toBe(3);
  });
});
