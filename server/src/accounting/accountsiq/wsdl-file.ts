/** Where the vendored WSDL excerpt is, from the sources (tsx, vitest) and from dist/ alike. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// src/accounting/accountsiq and dist/accounting/accountsiq are both three levels below server/.
const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export const WSDL_PATH = path.join(
  serverDir,
  'src',
  'accounting',
  'accountsiq',
  'wsdl',
  'integration-2-0.excerpt.wsdl',
);

export function readWsdl(): string {
  return fs.readFileSync(WSDL_PATH, 'utf8');
}

/** soap options for both ends: decimals and dates stay text, so money never passes through a float. */
export const KEEP_AS_TEXT = {
  decimal: (text: string) => text,
  date: (text: string) => text,
  dateTime: (text: string) => text,
};
