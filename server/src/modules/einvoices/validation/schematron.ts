import SaxonJS from 'saxon-js';
import { XMLParser } from 'fast-xml-parser';
import { compiledRules, type RuleSetId } from './rule-sets.js';

export type RuleFlag = 'fatal' | 'warning' | 'information';

/** One rule that the document broke, as the official rules word it. */
export interface RuleFinding {
  ruleSet: RuleSetId;
  ruleId: string;
  flag: RuleFlag;
  message: string;
  /** XPath of the offending node. */
  location: string;
}

const svrlParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: false,
  trimValues: true,
  isArray: (name) => name === 'failed-assert' || name === 'successful-report',
});

interface SvrlAssertion {
  id?: string;
  flag?: string;
  location?: string;
  text?: string | { '#text'?: string };
}

/** Runs one rule set over a well-formed document (already through guardXml). */
export function runSchematron(ruleSet: RuleSetId, xml: string): RuleFinding[] {
  const { principalResult } = SaxonJS.transform(
    { stylesheetInternal: compiledRules(ruleSet), sourceText: xml, destination: 'serialized' },
    'sync',
  );
  const svrl = svrlParser.parse(principalResult) as {
    'schematron-output'?: Record<string, SvrlAssertion[] | undefined>;
  };
  const output = svrl['schematron-output'] ?? {};
  return [...(output['failed-assert'] ?? []), ...(output['successful-report'] ?? [])].map((a) => ({
    ruleSet,
    ruleId: a.id ?? 'UNKNOWN',
    flag: toFlag(a.flag),
    message: (typeof a.text === 'string' ? a.text : (a.text?.['#text'] ?? '')).replace(/\s+/g, ' '),
    location: a.location ?? '',
  }));
}

function toFlag(flag: string | undefined): RuleFlag {
  // Schematron without a flag means the assertion must hold: treat it as fatal.
  if (flag === 'warning') return 'warning';
  if (flag === 'information') return 'information';
  return 'fatal';
}
