import { describe, expect, it } from 'vitest';
import { compareDecimals, normalizeDecimalInput, subtractDecimals, sumDecimals } from './decimal';

describe('decimal', () => {
  it('adds money exactly where floats would not', () => {
    expect(sumDecimals(['0.10', '0.20'])).toBe('0.30');
    expect(sumDecimals(['1017.77', '2568.90'])).toBe('3586.67');
    expect(sumDecimals([])).toBe('0.00');
    expect(subtractDecimals('100.00', '100.005')).toBe('-0.005');
  });

  it('reads what people type', () => {
    expect(normalizeDecimalInput(' 1 250,50 ')).toBe('1250.50');
    expect(normalizeDecimalInput('-3')).toBe('-3');
    expect(normalizeDecimalInput('12.34567')).toBeNull();
    expect(normalizeDecimalInput('abc')).toBeNull();
    expect(compareDecimals('1.5', '1.50')).toBe(0);
  });
});
