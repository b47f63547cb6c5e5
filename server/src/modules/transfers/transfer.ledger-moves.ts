import { onDomainEvent } from '../../common/domain-events.js';
import { Transfer } from './transfer.entity.js';

// An administrator moved a ledger entry to another period: the transfers that posted it show
// the entry's new posting date.
onDomainEvent('ledger.entry_moved', async (em, { organizationId, after }) => {
  await em.nativeUpdate(
    Transfer,
    { organization: organizationId, ledgerEntryId: after.id },
    { postingDate: after.postingDate },
  );
});
