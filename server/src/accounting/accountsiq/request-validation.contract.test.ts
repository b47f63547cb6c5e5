/** The local service refuses requests that do not match the WSDL, so the contract tests can rely on it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAiqFixture, type AiqFixture } from './accountsiq.helpers.js';
import { AIQ_NAMESPACE } from './session.js';

let fx: AiqFixture;
beforeAll(async () => {
  fx = await startAiqFixture();
});
afterAll(() => fx.close());

async function post(operation: string, body: string) {
  const envelope = `<?xml version="1.0" encoding="utf-8"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">
  <soap:Header><AiqSoapHeader xmlns="${AIQ_NAMESPACE}"><Entity>${fx.seed.entity}</Entity></AiqSoapHeader></soap:Header>
  <soap:Body><${operation} xmlns="${AIQ_NAMESPACE}">${body}</${operation}></soap:Body>
</soap:Envelope>`;
  const res = await fetch(fx.aiq.url, {
    method: 'POST',
    headers: {
      'content-type': 'text/xml; charset=utf-8',
      soapaction: `"${AIQ_NAMESPACE}${operation}"`,
    },
    body: envelope,
  });
  return { status: res.status, text: await res.text() };
}

describe('local accountsIQ: requests checked against the WSDL', () => {
  it('serves the WSDL', async () => {
    const res = await fetch(`${fx.aiq.url}?wsdl`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('CreateBatchPurchasesInvoiceGetBackTransactionID');
  });

  it('answers a request that matches, with failures inside HTTP 200', async () => {
    const ok = await post(
      'TokenGet',
      `<clientId>${fx.seed.clientId}</clientId><clientSecret>nope</clientSecret>`,
    );
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('<ErrorCode>INVALID_CREDENTIALS</ErrorCode>');
    expect(ok.text).not.toContain('nope');
    expect(fx.aiq.wsdlViolations).toEqual([]);
  });

  it.each([
    [
      'an unknown element',
      'TokenGet',
      '<clientId>a</clientId><clientSecret>b</clientSecret><password>c</password>',
      'unknown element password',
    ],
    [
      'elements out of sequence order',
      'TokenGet',
      '<clientSecret>b</clientSecret><clientId>a</clientId>',
      'element clientId out of sequence order',
    ],
    [
      'a missing required element',
      'PostInvoiceGetBackTransactionID',
      '',
      'missing element invoiceID',
    ],
    [
      'a value of the wrong type',
      'PostInvoiceGetBackTransactionID',
      '<invoiceID>abc</invoiceID>',
      'is not an s:int',
    ],
    [
      'an unknown element deep in a document',
      'CreateBatchPurchasesInvoiceGetBackTransactionID',
      '<invoice><SupplierCode>ACME</SupplierCode><InvoiceDate>2026-03-01</InvoiceDate><GrossAmount>1.00</GrossAmount><Lines><BatchPurchasesInvoiceLine><NetAmount>1.00</NetAmount><TaxAmount>0</TaxAmount><VatRate>1</VatRate></BatchPurchasesInvoiceLine></Lines></invoice><create>true</create>',
      'unknown element VatRate',
    ],
    [
      'a decimal that is not one',
      'CreateBatchPurchasesInvoiceGetBackTransactionID',
      '<invoice><InvoiceDate>2026-03-01</InvoiceDate><GrossAmount>1,5</GrossAmount></invoice><create>true</create>',
      "'1,5' is not an s:decimal",
    ],
  ])('refuses %s with a SOAP fault and records it', async (_what, operation, body, expected) => {
    const before = fx.aiq.wsdlViolations.length;
    const res = await post(operation, body);
    expect(res.status).toBe(500);
    expect(res.text).toContain('request does not match the WSDL');
    expect(fx.aiq.wsdlViolations.slice(before).join('\n')).toContain(expected);
    expect(fx.aiq.transactions(fx.seed.entity)).toHaveLength(0);
  });
});
