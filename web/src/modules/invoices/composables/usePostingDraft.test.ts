import { describe, expect, it } from 'vitest';
import { ref } from 'vue';
import { lineMessages, usePostingDraft, type PostingTarget } from './usePostingDraft';

const line = (netAmount: string, vatAmount: string) => ({
  accountCode: '4000',
  costUnitCode: null,
  vatCode: 'FI255',
  netAmount,
  vatAmount,
  description: null,
});

function editorOf(target: PostingTarget) {
  const editing = ref(false);
  const posting = usePostingDraft(() => target, editing);
  posting.start(target.lines);
  editing.value = true;
  return { posting, editing };
}

describe('usePostingDraft', () => {
  it('adds the draft exactly, negative lines and comma decimals included, against the invoice', () => {
    const { posting } = editorOf({
      netAmount: '100.30',
      vatAmount: '25.58',
      lines: [line('0.10', '0.03'), line('0.20', '0.05')],
    });
    posting.addLine();
    posting.setField(2, 'netAmount', '120,0005');
    posting.setField(2, 'vatAmount', '30.6');
    posting.addLine();
    posting.setField(3, 'netAmount', '-20.0005');
    posting.setField(3, 'vatAmount', '-5.1');
    // 0.10 + 0.20 + 120.0005 − 20.0005: a float sum would be 100.30000000000001.
    expect(posting.totals.value).toEqual({
      net: '100.30',
      vat: '25.58',
      netDiff: '0.00',
      vatDiff: '0.00',
      netOk: true,
      vatOk: true,
    });
    posting.setField(3, 'netAmount', '-20.0004');
    expect(posting.totals.value).toMatchObject({
      net: '100.3001',
      netDiff: '-0.0001',
      netOk: false,
      vatOk: true,
    });
  });

  it('counts an amount it cannot read as zero while editing, and shows the saved lines otherwise', () => {
    const { posting, editing } = editorOf({
      netAmount: '10.00',
      vatAmount: '2.55',
      lines: [line('10.00', '2.55')],
    });
    posting.setField(0, 'netAmount', '12.34567');
    expect(posting.totals.value).toMatchObject({ net: '0.00', netDiff: '10.00', netOk: false });
    editing.value = false;
    expect(posting.totals.value).toMatchObject({ net: '10.00', vat: '2.55', netOk: true });
  });

  it('refuses to save an incomplete line, says why, and saves it once fixed', () => {
    const { posting } = editorOf({ netAmount: '0.00', vatAmount: '0.00', lines: [] });
    expect(posting.draft.value).toHaveLength(1);
    expect(posting.touched.value).toBe(false);
    posting.setField(0, 'vatAmount', '1.2.3');

    expect(posting.toInput()).toBeNull();
    expect(posting.touched.value).toBe(true);
    expect(posting.valid.value).toBe(false);
    expect(posting.problems.value[0]).toEqual({
      accountCode: 'Choose an account.',
      vatCode: 'Choose a VAT code.',
      netAmount: 'Enter the net amount, e.g. 120.50.',
      vatAmount: 'Enter the VAT amount, or leave it empty to compute it.',
    });

    posting.setField(0, 'accountCode', '4000');
    posting.setField(0, 'vatCode', 'FI255');
    posting.setField(0, 'netAmount', ' 1 250,50 ');
    posting.setField(0, 'vatAmount', '');
    posting.setField(0, 'description', '  ');
    expect(posting.problems.value[0]).toEqual({});
    expect(posting.toInput()).toEqual([
      {
        accountCode: '4000',
        costUnitCode: null,
        vatCode: 'FI255',
        netAmount: '1250.50',
        vatAmount: null,
        description: null,
      },
    ]);
  });

  it('removes the line asked for and clears the draft', () => {
    const { posting } = editorOf({
      netAmount: '3.00',
      vatAmount: '0.00',
      lines: [line('1.00', '0.00'), line('2.00', '0.00')],
    });
    posting.removeLine(0);
    expect(posting.draft.value.map((l) => l.netAmount)).toEqual(['2.00']);
    expect(posting.totals.value.netDiff).toBe('1.00');
    posting.clear();
    expect(posting.draft.value).toEqual([]);
  });
});

describe('lineMessages', () => {
  it("labels the server's errors and warnings of one line by field, errors first", () => {
    const errors = [
      { code: 'X', message: 'Unknown account', field: ['lines', '1', 'accountCode'] },
    ];
    const warnings = [
      { code: 'W', message: 'Inactive cost unit', field: ['lines', '1', 'costUnitCode'] },
      { code: 'W', message: 'Odd line', field: ['lines', '1'] },
      { code: 'W', message: 'Another line', field: ['lines', '0', 'vatCode'] },
    ];
    expect(lineMessages(errors, warnings, 1)).toEqual([
      {
        key: 'error:accountCode:Unknown account',
        kind: 'error',
        field: 'accountCode',
        label: 'Account',
        message: 'Unknown account',
      },
      {
        key: 'warning:costUnitCode:Inactive cost unit',
        kind: 'warning',
        field: 'costUnitCode',
        label: 'Cost unit',
        message: 'Inactive cost unit',
      },
      {
        key: 'warning:line:Odd line',
        kind: 'warning',
        field: 'line',
        label: 'Line',
        message: 'Odd line',
      },
    ]);
  });
});
