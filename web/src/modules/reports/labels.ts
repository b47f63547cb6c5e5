import type { DocumentType, TransferTrigger } from '@/gql/graphql';
import { humanizeCode } from '@/modules/transfers/labels';

const DOCUMENTS: Record<DocumentType, [one: string, many: string]> = {
  INVOICE: ['invoice', 'invoices'],
  PAYMENT: ['payment', 'payments'],
};

/** "3 invoices", "1 payment". */
export function documentCount(count: number, type: DocumentType | null | undefined): string {
  const [one, many] = DOCUMENTS[type ?? 'INVOICE'];
  return `${count} ${count === 1 ? one : many}`;
}

export const RUN_LABELS: Record<TransferTrigger, string> = {
  MANUAL: 'Manual export',
  AUTOMATIC: 'Automatic transfer',
};

/** Each reason code with how many documents it stopped, most frequent first. */
export function reasonSummary(
  items: readonly { errors: readonly { code: string }[] }[],
): { code: string; label: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const item of items) {
    for (const code of new Set(item.errors.map((e) => e.code))) {
      counts.set(code, (counts.get(code) ?? 0) + 1);
    }
  }
  return [...counts]
    .map(([code, count]) => ({ code, label: humanizeCode(code), count }))
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
}
