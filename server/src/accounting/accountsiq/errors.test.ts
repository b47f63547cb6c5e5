import { describe, expect, it } from 'vitest';
import { ERROR_CODE_MAP, problemFromAiq } from './errors.js';

describe('accountsIQ ErrorCode → problem', () => {
  it.each(Object.entries(ERROR_CODE_MAP))(
    '%s → %s, keeping accountsIQ code and text',
    (code, mapping) => {
      const p = problemFromAiq(code, "Line 2: something about 'X1'.");
      expect(p.code).toBe(mapping.code);
      expect(p.message).toContain(`accountsIQ ${code}: Line 2: something about 'X1'.`);
      expect(p.field).toEqual(mapping.lineField ? ['lines', '1', mapping.field] : [mapping.field]);
    },
  );

  it('an unknown code is VALIDATION with the raw text, never dropped', () => {
    const p = problemFromAiq('STOCKITEM_CANNOT_SELL_BELOW_COST', 'Cannot sell below cost');
    expect(p).toEqual({
      code: 'VALIDATION',
      message:
        'accountsIQ refused the document (accountsIQ STOCKITEM_CANNOT_SELL_BELOW_COST: Cannot sell below cost)',
    });
  });

  it('tells a missing GL account from one that is not a posting account', () => {
    const msg = "Line 1: GL account '5000H' is not a posting account or does not exist.";
    expect(
      problemFromAiq('GLACCOUNT_IS_NOT_POSTING_OR_DOES_NOT_EXIST', msg, () => false).code,
    ).toBe('ACCOUNT_NOT_FOUND');
    expect(
      problemFromAiq('GLACCOUNT_IS_NOT_POSTING_OR_DOES_NOT_EXIST', msg, (c) => c === '5000H').code,
    ).toBe('ACCOUNT_NOT_POSTABLE');
  });
});
