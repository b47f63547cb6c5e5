import type { EntityManager } from '@mikro-orm/postgresql';
import { GraphQLError } from 'graphql';
import {
  decodeCursor,
  encodeCursor,
  toConnection,
  type ConnectionShape,
  type CursorValueKind,
} from '../../common/connection.js';
import { fromGlobalId } from '../../common/ids.js';
import { PurchaseInvoice } from './invoice.entity.js';
import { InvoiceTab, TAB_SQL } from './invoice.rules.js';
import {
  InvoiceOrderField,
  OrderDirection,
  type InvoiceFilter,
  type InvoiceOrder,
} from './invoice.types.js';
import { escapeLike } from '../../common/search.js';

const ORDER_COLUMNS: Record<
  InvoiceOrderField,
  { column: string; cast: string; kind: CursorValueKind; prop: keyof PurchaseInvoice }
> = {
  [InvoiceOrderField.BILL_DATE]: {
    column: 'bill_date',
    cast: 'date',
    kind: 'date',
    prop: 'billDate',
  },
  [InvoiceOrderField.DUE_DATE]: { column: 'due_date', cast: 'date', kind: 'date', prop: 'dueDate' },
  [InvoiceOrderField.GROSS_AMOUNT]: {
    column: 'gross_amount',
    cast: 'numeric',
    kind: 'numeric',
    prop: 'grossAmount',
  },
  [InvoiceOrderField.CREATED_AT]: {
    column: 'created_at',
    cast: 'timestamptz',
    kind: 'timestamp',
    prop: 'createdAt',
  },
  [InvoiceOrderField.INVOICE_NUMBER]: {
    column: 'invoice_number',
    cast: 'text',
    kind: 'text',
    prop: 'invoiceNumber',
  },
};

const DEFAULT_ORDER: InvoiceOrder = {
  field: InvoiceOrderField.BILL_DATE,
  direction: OrderDirection.DESC,
};

/** WHERE conditions (over alias `i`) for a tab and filter of one organization. */
function conditions(
  organizationId: string,
  tab: InvoiceTab,
  filter: InvoiceFilter | null | undefined,
) {
  const where: string[] = ['i.organization_id = ?', `(${TAB_SQL[tab]})`];
  const params: unknown[] = [organizationId];
  const f = filter ?? {};
  const wantsRemoved = f.status?.includes('REMOVED' as never);
  if (tab === InvoiceTab.ALL && !wantsRemoved) where.push('i.removed_at is null');
  if (f.supplierId) {
    const supplierId = fromGlobalId(f.supplierId, 'Supplier');
    if (!supplierId)
      throw new GraphQLError('filter.supplierId is not a supplier id', {
        extensions: { code: 'BAD_USER_INPUT' },
      });
    where.push('i.supplier_id = ?');
    params.push(supplierId);
  }
  if (f.status?.length) {
    where.push(`i.status in (${f.status.map(() => '?').join(', ')})`);
    params.push(...f.status);
  }
  if (f.transferStatus?.length) {
    where.push(`i.transfer_status in (${f.transferStatus.map(() => '?').join(', ')})`);
    params.push(...f.transferStatus);
  }
  if (f.kind?.length) {
    where.push(`i.kind in (${f.kind.map(() => '?').join(', ')})`);
    params.push(...f.kind);
  }
  if (f.billDateFrom) {
    where.push('i.bill_date >= ?::date');
    params.push(f.billDateFrom);
  }
  if (f.billDateTo) {
    where.push('i.bill_date <= ?::date');
    params.push(f.billDateTo);
  }
  if (f.amountMin) {
    where.push('i.gross_amount >= ?::numeric');
    params.push(f.amountMin);
  }
  if (f.amountMax) {
    where.push('i.gross_amount <= ?::numeric');
    params.push(f.amountMax);
  }
  const search = f.search?.trim();
  if (search) {
    if (search.length > 100)
      throw new GraphQLError('filter.search is longer than 100 characters', {
        extensions: { code: 'BAD_USER_INPUT' },
      });
    where.push(`(i.invoice_number ilike ? or i.document_number::text = ?)`);
    params.push(`%${escapeLike(search)}%`, search);
  }
  return { where, params };
}

export async function listInvoices(
  em: EntityManager,
  organizationId: string,
  tab: InvoiceTab,
  filter: InvoiceFilter | null | undefined,
  order: InvoiceOrder | null | undefined,
  limit: number,
  after: string | null | undefined,
): Promise<ConnectionShape<PurchaseInvoice>> {
  const { field, direction } = order ?? DEFAULT_ORDER;
  const sort = ORDER_COLUMNS[field];
  const { where, params } = conditions(organizationId, tab, filter);
  const countWhere = [...where];
  const countParams = [...params];

  const cursor = decodeCursor(after, [sort.kind, 'uuid']);
  if (cursor) {
    const op = direction === OrderDirection.DESC ? '<' : '>';
    where.push(`(i.${sort.column}, i.id) ${op} (?::${sort.cast}, ?::uuid)`);
    params.push(cursor[0], cursor[1]);
  }
  const dir = direction === OrderDirection.DESC ? 'desc' : 'asc';
  const rows = await em
    .createQueryBuilder(PurchaseInvoice, 'i')
    .select('*')
    .where(where.join(' and '), params)
    .orderBy({ [sort.prop]: dir, id: dir })
    .limit(limit + 1)
    .getResultList();

  const cursorOf = (inv: PurchaseInvoice) => {
    const value = inv[sort.prop];
    return encodeCursor([value instanceof Date ? value.toISOString() : (value as string), inv.id]);
  };
  const totalCount = async () => {
    const [row] = await em
      .getConnection()
      .execute<{ count: string }[]>(
        `select count(*) as count from purchase_invoice i where ${countWhere.join(' and ')}`,
        countParams,
      );
    return Number(row.count);
  };
  return toConnection(rows, limit, cursorOf, (r) => r, totalCount, !!cursor);
}

export async function invoiceTabCounts(em: EntityManager, organizationId: string) {
  const tabs = Object.values(InvoiceTab);
  const select = tabs
    .map(
      (t) =>
        `count(*) filter (where ${t === InvoiceTab.ALL ? 'i.removed_at is null' : TAB_SQL[t]}) as "${t}"`,
    )
    .join(', ');
  const [row] = await em
    .getConnection()
    .execute<Record<string, string>[]>(
      `select ${select} from purchase_invoice i where i.organization_id = ?`,
      [organizationId],
    );
  return tabs.map((tab) => ({ tab, count: Number(row[tab]) }));
}
