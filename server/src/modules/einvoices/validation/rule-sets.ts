import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

/** A published set of Schematron rules, compiled once to a SaxonJS SEF (see einvoice-rules/README.md). */
export interface RuleSet {
  id: RuleSetId;
  name: string;
  version: string;
  source: string;
  licence: string;
  xslt: string;
  sef: string;
  sha256: string;
}

export type RuleSetId = 'en16931-ubl' | 'peppol-bis3-ubl';

export const RULES_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../einvoice-rules',
);

let manifest: RuleSet[] | undefined;

export function ruleSets(): RuleSet[] {
  manifest ??= (
    JSON.parse(fs.readFileSync(path.join(RULES_DIR, 'manifest.json'), 'utf8')) as {
      ruleSets: RuleSet[];
    }
  ).ruleSets;
  return manifest;
}

export function ruleSet(id: RuleSetId): RuleSet {
  const found = ruleSets().find((r) => r.id === id);
  if (!found) throw new Error(`rule set ${id} is not in einvoice-rules/manifest.json`);
  return found;
}

const compiled = new Map<RuleSetId, unknown>();

/** The SEF of a rule set, read and parsed once per process (a few hundred ms for EN 16931). */
export function compiledRules(id: RuleSetId): unknown {
  let sef = compiled.get(id);
  if (!sef) {
    const file = path.join(RULES_DIR, ruleSet(id).sef);
    sef = JSON.parse(zlib.gunzipSync(fs.readFileSync(file)).toString('utf8'));
    compiled.set(id, sef);
  }
  return sef;
}
