import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildCamt } from './camt.writer.js';
import { CAMT_MAX_BYTES, CamtError, parseCamt } from './camt.parser.js';

const fixture = (name: string) =>
  fs.readFileSync(
    path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', name),
    'utf8',
  );

function refusal(xml: string): { code: string; message: string } {
  try {
    parseCamt(xml);
  } catch (err) {
    if (err instanceof CamtError) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('parsed without error');
}

describe('camt reader: public sample files', () => {
  it('Nordea (camt.053.001.02, FI IBAN): balances, amounts, dates and references exactly', () => {
    const doc = parseCamt(fixture('nordea-camt053.xml'));
    expect(doc.version).toBe('camt.053.001.02');
    expect(doc.kind).toBe('STATEMENT');
    expect(doc.statements).toHaveLength(1);
    const [s] = doc.statements;
    expect(s).toMatchObject({
      messageId: 'XML12345678901234567890123456789012',
      statementId: '2019-05-09-04.44.12-EUR0574',
      electronicSequence: '25',
      legalSequence: '20',
      account: 'FI8529501800030574',
      accountIsIban: true,
      currency: 'EUR',
      openingBalance: '200.50',
      closingBalance: '8800.50',
      skippedEntries: 0,
    });
    expect(
      s.entries.map((e) => [e.key, e.amount, e.direction, e.bookingDate, e.valueDate]),
    ).toEqual([
      ['1905082588CEAA0001', '10000.00', 'CREDIT', '2019-05-08', '2019-05-08'],
      ['1905082588SM12345678', '100.50', 'CREDIT', '2019-05-08', '2019-05-08'],
      ['1905082588CEAG0003', '-700.50', 'DEBIT', '2019-05-08', '2019-05-08'],
      ['1905092588CEAG0004', '-300.00', 'DEBIT', '2019-05-08', '2019-05-08'],
      ['1905082588CVCC1111', '-400.00', 'DEBIT', '2019-05-08', '2019-05-08'],
      ['1905082588AU123456', '-100.00', 'DEBIT', '2019-05-08', '2019-05-08'],
    ]);
    // The reference keeps its leading zeros (a number parser would make it 1245).
    expect(s.entries[0].transactions[0]).toMatchObject({
      reference: '00000000000000001245',
      endToEndId: '20190501-E00005',
      amount: '10000.00',
    });
    expect(s.entries[1].transactions[0].remittanceText).toBe(
      'Free text max 140 characters and max 35 characters in one line',
    );
    expect(s.entries[2].transactions[0]).toMatchObject({
      reference: 'RF332348236',
      endToEndId: '20190508-E123456',
      amount: '700.50',
    });
  });

  it('ING (camt.053.001.02, NL): repeated bank references get an ordinal, reversals are flagged', () => {
    const [s] = parseCamt(fixture('ing-camt053.xml')).statements;
    expect(s).toMatchObject({
      statementId: '201401030009999',
      account: 'NL08INGB0000001234',
      openingBalance: '1000.00',
      closingBalance: '1605.00',
      fromDate: '2014-01-03',
      toDate: '2014-01-03',
    });
    expect(s.entries).toHaveLength(9);
    expect(s.entries.map((e) => e.key)).toEqual([
      '59999208N9',
      '98888208N8',
      '15180015077602405',
      '3102766686999',
      '98888208N8#2',
      '77774288N1',
      '98997828N7',
      '3101963431841',
      '3101963431841#2',
    ]);
    expect(s.entries[0].transactions[0].reference).toBe('0010008346912014');
    expect(s.entries[5]).toMatchObject({ amount: '-25.00', direction: 'DEBIT' });
    expect(s.entries[5].transactions[0]).toMatchObject({
      reference: '1234567812345678',
      counterpartyName: 'INGTestrekening',
      counterpartyIban: 'NL20INGB0001234567',
    });
    expect(s.entries[8]).toMatchObject({
      amount: '-30.00',
      reversal: true,
      valueDate: '2013-12-20',
    });
    const total = s.entries.reduce((a, e) => a + Math.round(Number(e.amount) * 100), 0);
    expect(total).toBe(160500 - 100000);
  });

  it('ABN AMRO (camt.053.001.02): batch entries keep every transaction', () => {
    const [s] = parseCamt(fixture('abn_amro-camt053.xml')).statements;
    expect(s).toMatchObject({
      account: 'NL77ABNA0574908765',
      openingBalance: '1000.01',
      closingBalance: '100.01',
    });
    expect(s.entries).toHaveLength(13);
    const batch = s.entries.find((e) => e.key === '3095D4322561460S0PS#2')!;
    expect(batch.amount).toBe('10.00');
    expect(batch.transactions).toHaveLength(10);
    expect(batch.transactions.every((t) => t.amount === '1.00')).toBe(true);
    const big = s.entries.find((e) => e.key === 'GB030000738195160AO')!;
    expect(big).toMatchObject({ amount: '-921.00', reversal: true, bookingDate: '2012-04-02' });
  });

  it('Goldman Sachs (camt.053.001.02, UK): two statements, no IBAN, GBP, booking dates from DtTm', () => {
    const doc = parseCamt(fixture('goldman_sachs-camt053-uk.xml'));
    expect(doc.statements).toHaveLength(2);
    expect(doc.statements[0]).toMatchObject({ account: '60000635', accountIsIban: false });
    const s = doc.statements[1];
    expect(s).toMatchObject({ account: 'GB36GSLD04296250000970', accountIsIban: true });
    expect(s.currency).toBe('GBP');
    expect(s.entries).toHaveLength(6);
    // No entry-level AcctSvcrRef: the transaction's stands in.
    expect(s.entries[0]).toMatchObject({
      key: 'SPB2327886082710',
      amount: '-100.00',
      currency: 'GBP',
      bookingDate: '2023-10-09',
    });
    const sum = s.entries.reduce((a, e) => a + Math.round(Number(e.amount) * 100), 0);
    expect(sum).toBe(20000 - 40000);
  });
});

describe('camt reader: generated documents of every version', () => {
  for (const version of ['02', '04', '06', '08', '10', '13']) {
    it(`camt.053.001.${version}`, () => {
      const xml = buildCamt({
        version,
        opening: '1000.00',
        closing: '874.50',
        entries: [
          {
            ref: 'A1',
            amount: '125.50',
            tx: [
              {
                amount: '125.50',
                reference: 'RF481245',
                name: 'Acme & Co',
                iban: 'FI2112345600000785',
              },
            ],
          },
          { ref: 'P1', amount: '5.00', status: 'PDNG' },
        ],
      });
      const [s] = parseCamt(xml).statements;
      expect(s.skippedEntries).toBe(1);
      expect(s.entries).toHaveLength(1);
      expect(s.entries[0]).toMatchObject({ key: 'A1', amount: '-125.50' });
      expect(s.entries[0].transactions[0]).toMatchObject({
        amount: '125.50',
        reference: 'RF481245',
        counterpartyName: 'Acme & Co',
        counterpartyIban: 'FI2112345600000785',
      });
    });
  }

  it('camt.054 notifications: no balances', () => {
    const doc = parseCamt(
      buildCamt({ kind: '054', version: '08', entries: [{ ref: 'N1', amount: '10.00' }] }),
    );
    expect(doc).toMatchObject({ kind: 'NOTIFICATION', version: 'camt.054.001.08' });
    expect(doc.statements[0]).toMatchObject({ openingBalance: null, closingBalance: null });
    expect(doc.statements[0].entries[0].amount).toBe('-10.00');
  });
});

describe('camt reader: hostile and broken documents', () => {
  const good = buildCamt({ entries: [{ amount: '1.00' }] });

  it('refuses DOCTYPE (XXE) and entity declarations (billion laughs)', () => {
    const xxe = good.replace(
      '<Document',
      '<!DOCTYPE Document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<Document',
    );
    expect(refusal(xxe).code).toBe('XML_FORBIDDEN');
    const lol =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>';
    expect(refusal(lol).code).toBe('XML_FORBIDDEN');
    expect(refusal(good.replace('<Document', '<!entity x "y"><Document')).code).toBe(
      'XML_FORBIDDEN',
    );
  });

  it('refuses oversized documents', () => {
    const big = good.replace(
      '<BkToCstmrStmt>',
      `<BkToCstmrStmt><!--${'x'.repeat(CAMT_MAX_BYTES)}-->`,
    );
    expect(refusal(big).code).toBe('DOCUMENT_TOO_LARGE');
  });

  it('refuses truncated and non-XML documents', () => {
    expect(refusal(good.slice(0, good.length / 2)).code).toBe('MALFORMED_DOCUMENT');
    expect(refusal('{"not":"xml"}').code).toBe('MALFORMED_DOCUMENT');
    expect(refusal('').code).toBe('MALFORMED_DOCUMENT');
  });

  it('refuses other namespaces and versions', () => {
    expect(refusal(good.replace('camt.053.001.02', 'camt.052.001.02')).code).toBe(
      'UNSUPPORTED_DOCUMENT',
    );
    expect(refusal(good.replace('camt.053.001.02', 'camt.053.001.01')).code).toBe(
      'UNSUPPORTED_DOCUMENT',
    );
    expect(refusal(good.replace(/ xmlns="[^"]*"/, '')).code).toBe('UNSUPPORTED_DOCUMENT');
    expect(
      refusal(
        '<?xml version="1.0"?><Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>',
      ).code,
    ).toBe('UNSUPPORTED_DOCUMENT');
  });

  it('refuses bad amounts and dates', () => {
    expect(refusal(good.replace('>1.00</Amt>', '>1,00</Amt>')).code).toBe('MALFORMED_DOCUMENT');
    expect(refusal(good.replace('>1.00</Amt>', '>1.001</Amt>')).code).toBe('MALFORMED_DOCUMENT');
    expect(refusal(good.replace(/<BookgDt><Dt>[^<]*/, '<BookgDt><Dt>2026-02-30')).code).toBe(
      'MALFORMED_DOCUMENT',
    );
  });
});
