import fs from 'node:fs';
import path from 'node:path';
import type { RuleFlag } from './schematron.js';

/**
 * The official rule unit tests (CEN's `test/*-unit-UBL`, OpenPeppol's `rules/unit-UBL-PEPPOL`):
 * each file is a VEFA `testSet` whose `<test>`s hold one document each and say which rule must
 * hold (`<success>`) or fail with which flag (`<error>` fatal, `<warning>`).
 */
export interface OfficialUnitTest {
  file: string;
  index: number;
  description: string;
  document: string;
  /** `times`: how often a failing rule must fire, when the test says (`number="n"`). */
  expectations: { ruleId: string; outcome: 'success' | RuleFlag; times?: number }[];
}

const TEST = /<test>([\s\S]*?)<\/test>/g;
const ASSERT = /<assert>([\s\S]*?)<\/assert>/;
const EXPECTATION = /<(success|error|warning)(?:\s+number="(\d+)")?\s*>\s*([^<\s]+)\s*<\/\1>/g;

export function readUnitTests(dir: string): OfficialUnitTest[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.toLowerCase().endsWith('.xml'))
    .sort()
    .flatMap((file) => {
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      return [...text.matchAll(TEST)].map((test, index) => {
        const body = test[1]!;
        const assert = ASSERT.exec(body)?.[1] ?? '';
        const expectations = [...assert.matchAll(EXPECTATION)].map(([, kind, times, ruleId]) => ({
          ruleId: ruleId!,
          outcome: kind === 'error' ? ('fatal' as const) : (kind as 'success' | 'warning'),
          ...(times && kind !== 'success' ? { times: Number(times) } : {}),
        }));
        const description =
          /<description>([\s\S]*?)<\/description>/.exec(assert)?.[1]?.trim() ?? '';
        const document = `<?xml version="1.0" encoding="UTF-8"?>\n${body.replace(ASSERT, '').trim()}`;
        return { file, index, description, document, expectations };
      });
    });
}
