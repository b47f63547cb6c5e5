/**
 * `pnpm ledgerlink bank import <files…> --org SLUG [--as EMAIL]`: imports each file in its own
 * transaction, exactly as the importBankStatement mutation does (same matching, same payments,
 * same automatic transfer), acting as the given member (default: the organization's first ADMIN).
 * One line per file: imported / duplicate / error with its code.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AccountingSystem } from '../../accounting/accounting-system.js';
import { cliCaller } from '../../common/cli-caller.js';
import { DomainError } from '../../common/errors.js';
import { toGlobalId } from '../../common/ids.js';
import { CAMT_MAX_BYTES } from './camt.parser.js';
import { importBankStatement } from './bank-statement.service.js';

export async function bankImportCommand(
  em: EntityManager,
  accounting: AccountingSystem,
  files: string[],
  flags: Record<string, string | true>,
): Promise<{ lines: string[]; failed: boolean }> {
  if (!files.length) throw new Error('name one or more camt.053/camt.054 files');
  const { org, caller } = await cliCaller(em, flags);

  const lines: string[] = [];
  let failed = false;
  for (const file of files) {
    const name = path.basename(file);
    let document: string;
    try {
      if (fs.statSync(file).size > CAMT_MAX_BYTES) {
        failed = true;
        lines.push(
          `${name}: error DOCUMENT_TOO_LARGE larger than ${CAMT_MAX_BYTES / 1024 / 1024} MiB`,
        );
        continue;
      }
      document = fs.readFileSync(file, 'utf8');
    } catch (err) {
      failed = true;
      lines.push(`${name}: error FILE_UNREADABLE ${(err as Error).message}`);
      continue;
    }
    try {
      const r = await em.fork().transactional((tem) =>
        importBankStatement(
          tem,
          { caller, requestId: `cli-${randomUUID()}`, accounting },
          {
            organizationId: toGlobalId('Organization', org.id),
            document,
            idempotencyKey: `cli-${randomUUID()}`,
          },
        ),
      );
      const duplicate = r.statements.every((s) => s.duplicate);
      lines.push(
        `${name}: ${duplicate ? 'duplicate' : 'imported'} ${r.statements.length} statement(s), ${r.importedEntries} new entries (${r.duplicateEntries} seen before), ${r.matchedEntries} matched, ${r.queuedEntries} queued`,
      );
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      failed = true;
      lines.push(`${name}: error ${err.code} ${err.message}`);
    }
  }
  return { lines, failed };
}
