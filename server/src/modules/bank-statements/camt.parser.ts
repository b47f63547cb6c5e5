/**
 * A reader for ISO 20022 bank-to-customer statements (camt.053) and debit/credit notifications
 * (camt.054), versions .001.02 to .001.13, on fast-xml-parser. Every value stays a string (a
 * reference `00000000000000001245` must not become the number 1245, an amount must not become a
 * float); DOCTYPE and entity declarations are refused before parsing (no XXE, no entity bombs).
 * Only booked (`BOOK`) entries are read.
 */
import { createHash } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import {
  documentElement,
  guardXml,
  XmlRejectedError,
  type XmlRejection,
} from '../../common/xml-guard.js';
import { Decimal } from '../../common/money.js';
import { isValidDate } from '../../common/scalars.js';

export const CAMT_MAX_BYTES = 10 * 1024 * 1024;

export type CamtErrorCode =
  'XML_FORBIDDEN' | 'DOCUMENT_TOO_LARGE' | 'MALFORMED_DOCUMENT' | 'UNSUPPORTED_DOCUMENT';

/** Why a document could not be read; `code` becomes the userError code. */
export class CamtError extends Error {
  constructor(
    readonly code: CamtErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CamtError';
  }
}

export type CamtKind = 'STATEMENT' | 'NOTIFICATION';
export type Direction = 'DEBIT' | 'CREDIT';

export interface CamtTransaction {
  /** The transaction's own amount (positive); null when the bank gives none. */
  amount: string | null;
  accountServicerReference: string | null;
  endToEndId: string | null;
  /** Structured creditor reference (RF or national), as written. */
  reference: string | null;
  /** Numbers of the documents the payment refers to (Strd/RfrdDocInf/Nb). */
  documentNumbers: string[];
  remittanceText: string | null;
  counterpartyName: string | null;
  counterpartyIban: string | null;
}

export interface CamtEntry {
  /** What the entry is recognized by across files: the bank's reference (or a stand-in). */
  key: string;
  accountServicerReference: string | null;
  entryReference: string | null;
  /** Signed: debits negative. */
  amount: string;
  currency: string;
  direction: Direction;
  reversal: boolean;
  bookingDate: string | null;
  valueDate: string | null;
  transactions: CamtTransaction[];
}

export interface CamtStatement {
  kind: CamtKind;
  /** e.g. `camt.053.001.02`. */
  version: string;
  messageId: string | null;
  statementId: string;
  electronicSequence: string | null;
  legalSequence: string | null;
  createdAt: string | null;
  fromDate: string | null;
  toDate: string | null;
  /** IBAN, or the bank's other account id when there is no IBAN. */
  account: string;
  accountIsIban: boolean;
  currency: string | null;
  /** Signed (a debit balance is negative); null in notifications. */
  openingBalance: string | null;
  closingBalance: string | null;
  entries: CamtEntry[];
  /** Entries in the file that were not booked (pending, information only): not read. */
  skippedEntries: number;
}

export interface CamtDocument {
  version: string;
  kind: CamtKind;
  checksum: string;
  statements: CamtStatement[];
}

const REPEATING = new Set([
  'Stmt',
  'Ntfctn',
  'Bal',
  'Ntry',
  'NtryDtls',
  'TxDtls',
  'Ustrd',
  'Strd',
  'RfrdDocInf',
]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: false,
  trimValues: true,
  isArray: (name) => REPEATING.has(name),
});

type Node = Record<string, unknown>;

const XML_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

/** Text content with the predefined entities and character references decoded (nothing else can occur: DTDs are refused). */
function decode(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, e: string) => {
    if (e[0] !== '#') return XML_ENTITIES[e];
    const cp = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : '';
  });
}

function child(node: unknown, ...path: string[]): unknown {
  let cur = node;
  for (const key of path) {
    if (Array.isArray(cur)) cur = cur[0];
    if (!cur || typeof cur !== 'object') return undefined;
    cur = (cur as Node)[key];
  }
  return Array.isArray(cur) && !REPEATING.has(path[path.length - 1]) ? cur[0] : cur;
}

function text(node: unknown, ...path: string[]): string | null {
  const v = child(node, ...path);
  const raw =
    typeof v === 'string' ? v : v && typeof v === 'object' ? (v as Node)['#text'] : undefined;
  if (typeof raw !== 'string') return null;
  const t = decode(raw).trim();
  return t === '' ? null : t;
}

function list(node: unknown, ...path: string[]): unknown[] {
  const v = child(node, ...path);
  return Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
}

const AMOUNT = /^\d{1,17}(\.\d{1,5})?$/;

/** An amount as written, checked, with at most two significant decimals. */
function amountOf(node: unknown, where: string): { value: Decimal; currency: string | null } {
  const raw = text(node);
  if (raw === null || !AMOUNT.test(raw))
    throw new CamtError('MALFORMED_DOCUMENT', `${where}: the amount "${raw ?? ''}" is not valid`);
  const value = new Decimal(raw);
  if (value.decimalPlaces() > 2)
    throw new CamtError(
      'MALFORMED_DOCUMENT',
      `${where}: the amount ${raw} has more than two decimals`,
    );
  const ccy = node && typeof node === 'object' ? (node as Node)['@Ccy'] : undefined;
  return { value, currency: typeof ccy === 'string' ? ccy.trim() : null };
}

const DATE = /^(\d{4}-\d{2}-\d{2})/;

/** `Dt` or the date part of `DtTm` (as the bank wrote it, no time-zone shift). */
function dateOf(node: unknown, where: string): string | null {
  const raw = text(node, 'Dt') ?? text(node, 'DtTm') ?? text(node);
  if (raw === null) return null;
  const m = DATE.exec(raw);
  if (!m || !isValidDate(m[1]))
    throw new CamtError('MALFORMED_DOCUMENT', `${where}: "${raw}" is not a date`);
  return m[1];
}

function direction(node: unknown, where: string): Direction {
  const ind = text(node, 'CdtDbtInd');
  if (ind === 'DBIT') return 'DEBIT';
  if (ind === 'CRDT') return 'CREDIT';
  throw new CamtError('MALFORMED_DOCUMENT', `${where}: CdtDbtInd must be CRDT or DBIT`);
}

/** Party name in .02–.07 (`Cdtr/Nm`) and .08+ (`Cdtr/Pty/Nm`). */
function partyName(parties: unknown, role: 'Cdtr' | 'Dbtr'): string | null {
  return text(parties, role, 'Nm') ?? text(parties, role, 'Pty', 'Nm');
}

function transactionOf(tx: unknown, dir: Direction, where: string): CamtTransaction {
  const amountNode =
    child(tx, 'Amt') ??
    child(tx, 'AmtDtls', 'TxAmt', 'Amt') ??
    child(tx, 'AmtDtls', 'InstdAmt', 'Amt');
  const strd = list(tx, 'RmtInf', 'Strd');
  const reference = strd.map((s) => text(s, 'CdtrRefInf', 'Ref')).find((r) => r !== null) ?? null;
  const documentNumbers = strd.flatMap((s) =>
    list(s, 'RfrdDocInf')
      .map((d) => text(d, 'Nb'))
      .filter((n): n is string => n !== null),
  );
  const ustrd = list(tx, 'RmtInf', 'Ustrd')
    .map((u) => text(u))
    .filter((u): u is string => u !== null);
  const parties = child(tx, 'RltdPties');
  const counterparty = dir === 'DEBIT' ? 'Cdtr' : 'Dbtr';
  return {
    amount: amountNode === undefined ? null : amountOf(amountNode, where).value.toFixed(2),
    accountServicerReference: text(tx, 'Refs', 'AcctSvcrRef'),
    endToEndId: text(tx, 'Refs', 'EndToEndId'),
    reference,
    documentNumbers,
    // Ustrd lines are 140-character chunks of one text: joined as written.
    remittanceText: ustrd.length ? ustrd.join('') : null,
    counterpartyName: partyName(parties, counterparty),
    counterpartyIban: text(parties, `${counterparty}Acct`, 'Id', 'IBAN'),
  };
}

function balanceOf(balances: unknown[], codes: string[], where: string): string | null {
  for (const code of codes) {
    const bal = balances.find((b) => text(b, 'Tp', 'CdOrPrtry', 'Cd') === code);
    if (bal) {
      const { value } = amountOf(child(bal, 'Amt'), `${where} balance ${code}`);
      return (direction(bal, where) === 'DEBIT' ? value.negated() : value).toFixed(2);
    }
  }
  return null;
}

function statementOf(
  stmt: unknown,
  kind: CamtKind,
  version: string,
  messageId: string | null,
  index: number,
): CamtStatement {
  const where = `${kind === 'STATEMENT' ? 'Statement' : 'Notification'} ${index + 1}`;
  const statementId = text(stmt, 'Id');
  if (!statementId) throw new CamtError('MALFORMED_DOCUMENT', `${where} has no Id`);
  const iban = text(stmt, 'Acct', 'Id', 'IBAN');
  const account = iban ?? text(stmt, 'Acct', 'Id', 'Othr', 'Id');
  if (!account) throw new CamtError('MALFORMED_DOCUMENT', `${where} names no account (Acct/Id)`);
  const balances = list(stmt, 'Bal');
  const entries: CamtEntry[] = [];
  const seenKeys = new Map<string, number>();
  let skipped = 0;
  list(stmt, 'Ntry').forEach((ntry, n) => {
    const at = `${where}, entry ${n + 1}`;
    const status = text(ntry, 'Sts') ?? text(ntry, 'Sts', 'Cd');
    if (status !== 'BOOK') {
      skipped++;
      return;
    }
    const dir = direction(ntry, at);
    const { value, currency } = amountOf(child(ntry, 'Amt'), at);
    const transactions = list(ntry, 'NtryDtls').flatMap((d) =>
      list(d, 'TxDtls').map((tx, i) => transactionOf(tx, dir, `${at}, transaction ${i + 1}`)),
    );
    const accountServicerReference =
      text(ntry, 'AcctSvcrRef') ??
      (transactions.length === 1 ? transactions[0].accountServicerReference : null);
    const entryReference = text(ntry, 'NtryRef');
    const bookingDate = dateOf(child(ntry, 'BookgDt'), `${at} BookgDt`);
    const valueDate = dateOf(child(ntry, 'ValDt'), `${at} ValDt`);
    const amount = (dir === 'DEBIT' ? value.negated() : value).toFixed(2);
    // The bank's reference identifies an entry across files; some banks repeat it within one
    // statement (a reversal keeps its original's reference), so a repeat gets its ordinal.
    const base =
      accountServicerReference ??
      `sha256:${createHash('sha256')
        .update(
          JSON.stringify([
            statementId,
            entryReference,
            amount,
            bookingDate,
            valueDate,
            transactions,
          ]),
        )
        .digest('hex')
        .slice(0, 32)}`;
    const seen = (seenKeys.get(base) ?? 0) + 1;
    seenKeys.set(base, seen);
    entries.push({
      key: seen === 1 ? base : `${base}#${seen}`,
      accountServicerReference,
      entryReference,
      amount,
      currency: currency ?? text(stmt, 'Acct', 'Ccy') ?? '',
      direction: dir,
      reversal: text(ntry, 'RvslInd') === 'true',
      bookingDate,
      valueDate,
      transactions,
    });
  });
  return {
    kind,
    version,
    messageId,
    statementId,
    electronicSequence: text(stmt, 'ElctrncSeqNb'),
    legalSequence: text(stmt, 'LglSeqNb'),
    createdAt: text(stmt, 'CreDtTm'),
    fromDate: dateOf(child(stmt, 'FrToDt', 'FrDtTm'), `${where} FrToDt`),
    toDate: dateOf(child(stmt, 'FrToDt', 'ToDtTm'), `${where} FrToDt`),
    account,
    accountIsIban: iban !== null,
    currency: text(stmt, 'Acct', 'Ccy'),
    openingBalance: balanceOf(balances, ['OPBD', 'PRCD'], where),
    closingBalance: balanceOf(balances, ['CLBD'], where),
    entries,
    skippedEntries: skipped,
  };
}

/** What the shared XML gate's refusals are called here. */
const GUARD_CODES: Record<XmlRejection, CamtErrorCode> = {
  TOO_LARGE: 'DOCUMENT_TOO_LARGE',
  DOCTYPE: 'XML_FORBIDDEN',
  EMPTY: 'MALFORMED_DOCUMENT',
  ENCODING: 'MALFORMED_DOCUMENT',
  MALFORMED: 'MALFORMED_DOCUMENT',
};

const NAMESPACE = /^urn:iso:std:iso:20022:tech:xsd:(camt\.05[34])\.001\.(0[2-9]|1[0-3])$/;

/** Reads a camt.053 or camt.054 document, or throws a CamtError saying why not. */
export function parseCamt(xml: string): CamtDocument {
  let body: string;
  let root: ReturnType<typeof documentElement>;
  try {
    body = guardXml(xml, CAMT_MAX_BYTES).text;
    root = documentElement(body);
  } catch (err) {
    if (err instanceof XmlRejectedError) throw new CamtError(GUARD_CODES[err.reason], err.message);
    throw err;
  }
  const ns = root.name === 'Document' ? root.namespace : null;
  const m = ns ? NAMESPACE.exec(ns) : null;
  if (!m) {
    throw new CamtError(
      'UNSUPPORTED_DOCUMENT',
      `Not a camt.053 or camt.054 document (versions .001.02 to .001.13): namespace ${ns ? `"${ns.slice(0, 120)}"` : 'missing'}`,
    );
  }
  const version = `${m[1]}.001.${m[2]}`;
  const kind: CamtKind = m[1] === 'camt.053' ? 'STATEMENT' : 'NOTIFICATION';
  let parsed: Node;
  try {
    parsed = parser.parse(body) as Node;
  } catch (err) {
    throw new CamtError(
      'MALFORMED_DOCUMENT',
      `The XML could not be read: ${(err as Error).message}`,
    );
  }
  const container =
    kind === 'STATEMENT'
      ? child(parsed, 'Document', 'BkToCstmrStmt')
      : child(parsed, 'Document', 'BkToCstmrDbtCdtNtfctn');
  if (!container || typeof container !== 'object') {
    throw new CamtError(
      'MALFORMED_DOCUMENT',
      `A ${m[1]} document needs ${kind === 'STATEMENT' ? 'BkToCstmrStmt' : 'BkToCstmrDbtCdtNtfctn'} under Document`,
    );
  }
  const messageId = text(container, 'GrpHdr', 'MsgId');
  const items = list(container, kind === 'STATEMENT' ? 'Stmt' : 'Ntfctn');
  if (!items.length) throw new CamtError('MALFORMED_DOCUMENT', 'The document holds no statement');
  return {
    version,
    kind,
    checksum: createHash('sha256').update(xml, 'utf8').digest('hex'),
    statements: items.map((s, i) => statementOf(s, kind, version, messageId, i)),
  };
}
