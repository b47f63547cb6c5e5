/**
 * `pnpm ledgerlink secrets reencrypt`: after a key rotation (new LEDGERLINK_SECRET_KEY, the old
 * one as LEDGERLINK_SECRET_KEY_PREVIOUS) seals every stored secret again with the current key,
 * so the previous key can be dropped. Prints counts only, never a secret.
 */
import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import { AccountingConnection } from './accounting-connection.entity.js';
import type { SecretBox } from './secret-box.js';

export async function reencryptSecrets(
  em: EntityManager,
  box: SecretBox,
): Promise<{ reencrypted: number; current: number }> {
  let reencrypted = 0;
  let current = 0;
  await em.transactional(async (tx) => {
    const rows = await tx.find(AccountingConnection, {}, { lockMode: LockMode.PESSIMISTIC_WRITE });
    for (const row of rows) {
      const sealed = { keyId: row.secretKeyId, ciphertext: row.secretCiphertext };
      if (!box.isStale(sealed)) {
        current++;
        continue;
      }
      const again = box.seal(box.open(sealed));
      // Not a change of the connection: its version, and every process's adapter, stay.
      // Plain SQL: MikroORM would bump the version of an update it makes.
      await tx.execute(
        'update accounting_connection set secret_ciphertext = ?, secret_key_id = ? where id = ?',
        [again.ciphertext, again.keyId, row.id],
      );
      reencrypted++;
    }
  });
  return { reencrypted, current };
}
