import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readUnitTests } from './official-unit-tests.js';
import { RULES_DIR, ruleSets, type RuleSetId } from './rule-sets.js';
import { runSchematron } from './schematron.js';
import { EInvoiceFormatError, validateEInvoice } from './validate-einvoice.js';

const fixtures = path.join(import.meta.dirname, 'fixtures');

describe('the vendored rule artefacts', () => {
  it('run the SEF compiled from the XSLT that is in the repository', () => {
    for (const rules of ruleSets()) {
      const xslt = fs.readFileSync(path.join(RULES_DIR, rules.xslt));
      expect(crypto.createHash('sha256').update(xslt).digest('hex'), rules.id).toBe(rules.sha256);
      expect(fs.existsSync(path.join(RULES_DIR, rules.sef)), rules.sef).toBe(true);
    }
  });
});

describe('official example documents', () => {
  const examples = [
    ...fs.readdirSync(path.join(fixtures, 'en16931', 'examples')).map((f) => ['en16931', f]),
    ...fs.readdirSync(path.join(fixtures, 'peppol', 'examples')).map((f) => ['peppol', f]),
  ].filter(([, f]) => /\.xml$/i.test(f!));

  /**
   * What the rules in force say about examples published before them. issue116.xml (a CEN
   * example that declares Peppol BIS 3) gives a Swedish organization number in a form that
   * Peppol's PEPPOL-COMMON-R049 (added in 2025) refuses.
   */
  const refusedByNewerRules: Record<string, string[]> = {
    'issue116.xml': ['PEPPOL-COMMON-R049', 'PEPPOL-COMMON-R049', 'PEPPOL-COMMON-R049'],
  };

  it.each(examples)('%s/%s passes every fatal rule in force', (origin, file) => {
    const result = validateEInvoice(
      fs.readFileSync(path.join(fixtures, origin!, 'examples', file!)),
    );
    const fatal = result.findings.filter((f) => f.flag === 'fatal').map((f) => f.ruleId);
    expect(fatal, JSON.stringify(result.findings)).toEqual(refusedByNewerRules[file!] ?? []);
    expect(result.fatal).toBe(fatal.length > 0);
    expect(result.format).toBe(/creditnote/i.test(file!) ? 'UBL_CREDIT_NOTE' : 'UBL_INVOICE');
    if (origin === 'peppol') expect(result.ruleSets.map((r) => r.id)).toContain('peppol-bis3-ubl');
  });

  it('a broken total in the official Peppol example fails BR-CO-15 and nothing else new', () => {
    const xml = fs
      .readFileSync(path.join(fixtures, 'peppol', 'examples', 'base-example.xml'), 'utf8')
      .replace(/(<cbc:TaxInclusiveAmount currencyID="EUR">)[^<]*</, '$11.00<');
    const result = validateEInvoice(xml);
    expect(result.fatal).toBe(true);
    expect(result.findings.map((f) => f.ruleId)).toContain('BR-CO-15');
    const broken = result.findings.find((f) => f.ruleId === 'BR-CO-15')!;
    expect(broken).toMatchObject({ ruleSet: 'en16931-ubl', flag: 'fatal' });
    expect(broken.message).toContain('Invoice total amount with VAT');
    expect(broken.location).toMatch(/^\/\*:Invoice/);
  });
});

/**
 * Every official unit test document, through the rule set it was written for: a `<success>` rule
 * must not fire, an `<error>`/`<warning>` rule must fire with that flag.
 */
const suites: { name: string; dir: string; ruleSet: RuleSetId }[] = [
  { name: 'EN 16931 Invoice', dir: 'en16931/Invoice-unit-UBL', ruleSet: 'en16931-ubl' },
  { name: 'EN 16931 CreditNote', dir: 'en16931/CreditNote-unit-UBL', ruleSet: 'en16931-ubl' },
  { name: 'Peppol BIS 3', dir: 'peppol/unit-UBL-PEPPOL', ruleSet: 'peppol-bis3-ubl' },
];

describe.each(suites)('official unit tests: $name', ({ dir, ruleSet }) => {
  const tests = readUnitTests(path.join(fixtures, dir));
  const files = [...new Set(tests.map((t) => t.file))];

  it('are all there', () => {
    expect(files.length).toBeGreaterThan(50);
    for (const test of tests) expect(test.expectations.length, test.file).toBeGreaterThan(0);
  });

  it.each(files)('%s: every document gives the outcome its test expects', (file) => {
    const mismatches: string[] = [];
    for (const test of tests.filter((t) => t.file === file)) {
      const findings = runSchematron(ruleSet, test.document);
      for (const { ruleId, outcome, times } of test.expectations) {
        const fired = findings.filter((f) => f.ruleId === ruleId);
        const ok =
          outcome === 'success'
            ? fired.length === 0
            : fired.length > 0 &&
              fired.every((f) => f.flag === outcome) &&
              (times === undefined || fired.length === times);
        if (!ok) {
          mismatches.push(
            `#${test.index} ${ruleId}: expected ${outcome}${times ? ` x${times}` : ''}, got ${
              fired.map((f) => f.flag).join(',') || 'nothing'
            }`,
          );
        }
      }
    }
    expect(mismatches).toEqual([]);
  });
});

describe('validateEInvoice: what it cannot validate', () => {
  it('names a document of another kind', () => {
    expect(() =>
      validateEInvoice('<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"/>'),
    ).toThrow(/document element is Document in urn:iso:std:iso:20022.*expected a UBL 2.1 Invoice/);
    expect(() => validateEInvoice('<Invoice xmlns="urn:wrong"/>')).toThrow(EInvoiceFormatError);
  });

  it('says Finvoice cannot be validated yet instead of letting it through', () => {
    expect(() => validateEInvoice('<Finvoice Version="3.0"/>')).toThrow(
      expect.objectContaining({ reason: 'UNSUPPORTED_FORMAT' }),
    );
  });
});
