import { describe, expect, it } from 'vitest';
import {
  equivalentReferences,
  finnishCheckDigit,
  isValidFinnishReference,
  isValidRfReference,
  normalizeReference,
  toRfReference,
} from './payment-reference.js';

describe('payment references', () => {
  it('Finnish national reference: weights 7-3-1 from the right', () => {
    expect(finnishCheckDigit('124')).toBe(5);
    expect(isValidFinnishReference('1245')).toBe(true);
    expect(isValidFinnishReference('00000000000000001245')).toBe(true);
    expect(isValidFinnishReference('1246')).toBe(false);
    expect(isValidFinnishReference('12 345 6')).toBe(false);
    expect(isValidFinnishReference('123')).toBe(false);
    expect(isValidFinnishReference('123456789012345678901')).toBe(false);
    expect(isValidFinnishReference('12A5')).toBe(false);
  });

  it('RF creditor reference: ISO 11649 mod 97', () => {
    expect(isValidRfReference('RF332348236')).toBe(true);
    expect(isValidRfReference('RF33 2348 236')).toBe(true);
    expect(isValidRfReference('rf332348236')).toBe(true);
    expect(isValidRfReference('RF342348236')).toBe(false);
    expect(isValidRfReference('RF18539007547034')).toBe(true);
    expect(isValidRfReference('RF18')).toBe(false);
  });

  it('RF481245 wraps the Finnish 1245, and both denote one reference', () => {
    expect(toRfReference('1245')).toBe('RF481245');
    expect(isValidRfReference('RF481245')).toBe(true);
    expect(equivalentReferences('1245')).toEqual(['1245', 'RF481245']);
    expect(equivalentReferences('00000000000000001245')).toEqual(['1245', 'RF481245']);
    expect(equivalentReferences('RF481245')).toEqual(['RF481245', '1245']);
    // Its body 2348236 is itself a valid Finnish reference.
    expect(equivalentReferences('RF332348236')).toEqual(['RF332348236', '2348236']);
    expect(equivalentReferences('RF18539007547034')).toEqual(['RF18539007547034']);
    expect(equivalentReferences('1246')).toEqual([]);
  });

  it('normalizes to the stored form, or null when the check digits fail', () => {
    expect(normalizeReference(' 0000 1245 ')).toEqual({ kind: 'FINNISH', value: '1245' });
    expect(normalizeReference('rf33 2348 236')).toEqual({ kind: 'RF', value: 'RF332348236' });
    expect(normalizeReference('RF002348236')).toBeNull();
    expect(normalizeReference('')).toBeNull();
  });
});
