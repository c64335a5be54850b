import { describe, expect, it } from 'vitest';
import { CRL_REASON_CODE, isReversible, REVOCATION_RULES, revocationFor } from '../src/index.js';

describe('revocation rules', () => {
  it('a change of any of the basic four revokes only the signature certificate (affiliationChanged)', () => {
    for (const e of ['nameChanged', 'addressChanged', 'birthDateChanged', 'sexChanged'] as const) {
      expect(revocationFor(e)).toEqual({ signature: 'affiliationChanged', userAuthentication: null });
    }
  });

  it('death, moving abroad and removal end both (cessationOfOperation)', () => {
    for (const e of ['death', 'movedAbroad', 'removedFromResidentRegister'] as const) {
      expect(revocationFor(e)).toEqual({
        signature: 'cessationOfOperation',
        userAuthentication: 'cessationOfOperation',
      });
    }
  });

  it('loss, compromise, another device, CA compromise and suspension', () => {
    expect(revocationFor('deviceLost')).toEqual({
      signature: 'keyCompromise',
      userAuthentication: 'keyCompromise',
    });
    expect(revocationFor('keyCompromiseSuspected').signature).toBe('keyCompromise');
    expect(revocationFor('reissuedToAnotherDevice')).toEqual({
      signature: 'superseded',
      userAuthentication: 'superseded',
    });
    expect(revocationFor('caCompromise')).toEqual({
      signature: 'cACompromise',
      userAuthentication: 'cACompromise',
    });
    expect(revocationFor('temporarySuspension')).toEqual({
      signature: 'certificateHold',
      userAuthentication: 'certificateHold',
    });
    expect(isReversible('certificateHold')).toBe(true);
    expect(isReversible('keyCompromise')).toBe(false);
  });

  it('uses the RFC 5280 CRLReason codes', () => {
    expect(CRL_REASON_CODE).toMatchObject({
      keyCompromise: 1,
      cACompromise: 2,
      affiliationChanged: 3,
      superseded: 4,
      cessationOfOperation: 5,
      certificateHold: 6,
    });
    for (const d of Object.values(REVOCATION_RULES)) {
      for (const r of [d.signature, d.userAuthentication])
        if (r !== null) expect(CRL_REASON_CODE[r]).toBeTypeOf('number');
    }
  });
});
