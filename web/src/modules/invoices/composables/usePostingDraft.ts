/**
 * The posting lines being edited: the draft, what can be told wrong about it before the server
 * sees it, and the totals against the invoice's amounts. Amounts stay decimal strings; the sums
 * are exact (lib/decimal), never floats.
 */
import { computed, ref, type Ref } from 'vue';
import type { PostingLineInput } from '@/gql/graphql';
import { errorsAt, type FieldError } from '@/lib/errors';
import {
  compareDecimals,
  normalizeDecimalInput,
  subtractDecimals,
  sumDecimals,
} from '@/lib/decimal';

export interface DraftLine {
  key: number;
  accountCode: string | null;
  costUnitCode: string | null;
  vatCode: string | null;
  netAmount: string;
  vatAmount: string;
  description: string;
}

/** A posting line as the invoice has it now. */
export interface SavedLine {
  accountCode: string;
  costUnitCode?: string | null;
  vatCode: string;
  netAmount: string;
  vatAmount: string;
  description?: string | null;
}

/** The amounts the lines must add up to, and the lines shown when not editing. */
export interface PostingTarget {
  netAmount: string;
  vatAmount: string;
  lines: readonly SavedLine[];
}

export type DraftField = Exclude<keyof DraftLine, 'key'>;

/** What is wrong with one draft line, by field; empty when nothing is. */
export type LineProblems = Partial<Record<DraftField, string>>;

export function lineProblems(line: DraftLine): LineProblems {
  const p: LineProblems = {};
  if (!line.accountCode) p.accountCode = 'Choose an account.';
  if (!line.vatCode) p.vatCode = 'Choose a VAT code.';
  if (!normalizeDecimalInput(line.netAmount)) p.netAmount = 'Enter the net amount, e.g. 120.50.';
  if (line.vatAmount && !normalizeDecimalInput(line.vatAmount))
    p.vatAmount = 'Enter the VAT amount, or leave it empty to compute it.';
  return p;
}

const FIELD_LABELS: Record<string, string> = {
  accountCode: 'Account',
  costUnitCode: 'Cost unit',
  vatCode: 'VAT code',
  netAmount: 'Net',
  vatAmount: 'VAT',
  description: 'Description',
};

/** One server error or warning about a line, labelled by its field. */
export interface LineMessage {
  key: string;
  kind: 'error' | 'warning';
  /** The field it is about, or 'line' for the line as a whole. */
  field: string;
  label: string;
  message: string;
}

/** The server's errors and warnings for line `index`, labelled by field, errors first. */
export function lineMessages(
  errors: readonly FieldError[],
  warnings: readonly FieldError[],
  index: number,
): LineMessage[] {
  const path = ['lines', String(index)];
  const tag = (kind: 'error' | 'warning') => (m: FieldError) => {
    const field = m.field?.[2] ?? 'line';
    return {
      key: `${kind}:${field}:${m.message}`,
      kind,
      field,
      label: FIELD_LABELS[field] ?? 'Line',
      message: m.message,
    };
  };
  return [
    ...errorsAt(errors, path).map(tag('error')),
    ...errorsAt(warnings, path).map(tag('warning')),
  ];
}

export function usePostingDraft(target: () => PostingTarget, editing: Ref<boolean>) {
  let nextKey = 1;
  const draft = ref<DraftLine[]>([]);
  /** Set by the first save attempt: from then on missing fields are shown as errors. */
  const touched = ref(false);

  function emptyLine(): DraftLine {
    return {
      key: nextKey++,
      accountCode: null,
      costUnitCode: null,
      vatCode: null,
      netAmount: '',
      vatAmount: '',
      description: '',
    };
  }

  /** A draft of the saved lines (one empty line when there are none). */
  function start(lines: readonly SavedLine[]) {
    draft.value = lines.map((l) => ({
      key: nextKey++,
      accountCode: l.accountCode,
      costUnitCode: l.costUnitCode ?? null,
      vatCode: l.vatCode,
      netAmount: l.netAmount,
      vatAmount: l.vatAmount,
      description: l.description ?? '',
    }));
    if (!draft.value.length) addLine();
    touched.value = false;
  }

  function addLine() {
    draft.value.push(emptyLine());
  }

  function removeLine(index: number) {
    draft.value.splice(index, 1);
  }

  function setField<F extends DraftField>(index: number, field: F, value: DraftLine[F]) {
    draft.value[index][field] = value;
  }

  function clear() {
    draft.value = [];
  }

  const problems = computed(() => draft.value.map(lineProblems));
  const valid = computed(() => problems.value.every((p) => Object.keys(p).length === 0));

  /** The draft's sums while editing, the saved lines' otherwise, against the invoice. */
  const totals = computed(() => {
    const { netAmount, vatAmount, lines: saved } = target();
    const lines = editing.value
      ? draft.value.map((l) => ({
          net: normalizeDecimalInput(l.netAmount) ?? '0',
          vat: normalizeDecimalInput(l.vatAmount) ?? '0',
        }))
      : saved.map((l) => ({ net: l.netAmount, vat: l.vatAmount }));
    const net = sumDecimals(lines.map((l) => l.net));
    const vat = sumDecimals(lines.map((l) => l.vat));
    return {
      net,
      vat,
      netDiff: subtractDecimals(netAmount, net),
      vatDiff: subtractDecimals(vatAmount, vat),
      netOk: compareDecimals(net, netAmount) === 0,
      vatOk: compareDecimals(vat, vatAmount) === 0,
    };
  });

  /** The lines to save, or null (and the problems shown) while a line is incomplete. */
  function toInput(): PostingLineInput[] | null {
    touched.value = true;
    if (!valid.value) return null;
    return draft.value.map((l) => ({
      accountCode: l.accountCode!,
      costUnitCode: l.costUnitCode || null,
      vatCode: l.vatCode!,
      netAmount: normalizeDecimalInput(l.netAmount)!,
      vatAmount: l.vatAmount ? normalizeDecimalInput(l.vatAmount) : null,
      description: l.description.trim() || null,
    }));
  }

  return {
    draft,
    touched,
    start,
    addLine,
    removeLine,
    setField,
    clear,
    problems,
    valid,
    totals,
    toInput,
  };
}
