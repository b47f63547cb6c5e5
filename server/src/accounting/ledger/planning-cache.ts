/**
 * What the fast path plans with: each organization's settings accounts and VAT treatments,
 * learnt from the slow path's reads. The fast statement verifies every value it was planned
 * with, so a stale entry can only send a posting to the slow path, never book it wrongly.
 */
import type { VatTreatment } from './entry-lines.js';
import type { LedgerAccounts } from './ledger-rows.js';
import type { PostingContext } from './posting-context.js';

interface OrganizationKnowledge {
  settings: LedgerAccounts | null;
  vat: Map<string, VatTreatment>;
}

const MAX_CACHED_ORGANIZATIONS = 10_000;

export class PlanningCache {
  private readonly organizations = new Map<string, OrganizationKnowledge>();

  /** The settings accounts learnt for the organization, if any. */
  settingsOf(organizationId: string): LedgerAccounts | null {
    return this.organizations.get(organizationId)?.settings ?? null;
  }

  vatOf(organizationId: string, code: string): VatTreatment | undefined {
    return this.organizations.get(organizationId)?.vat.get(code);
  }

  /** True when the settings and all these VAT codes are known. */
  knows(organizationId: string, vatCodes: string[]): boolean {
    const known = this.organizations.get(organizationId);
    return !!known?.settings && vatCodes.every((c) => known.vat.has(c));
  }

  /** Learns settings and VAT treatments from a slow-path read of the posting context. */
  remember(organizationId: string, ctx: PostingContext, requestedVatCodes: string[]): void {
    let known = this.organizations.get(organizationId);
    if (!known) {
      if (this.organizations.size >= MAX_CACHED_ORGANIZATIONS) this.organizations.clear();
      known = { settings: null, vat: new Map() };
      this.organizations.set(organizationId, known);
    }
    known.settings = ctx.settings
      ? {
          accounts_payable_account: ctx.settings.accounts_payable_account,
          vat_receivable_account: ctx.settings.vat_receivable_account,
          vat_payable_account: ctx.settings.vat_payable_account,
          bank_account: ctx.settings.bank_account,
        }
      : null;
    const found = new Map(ctx.vat_codes.map((v) => [v.code, v]));
    for (const code of requestedVatCodes) {
      const v = found.get(code);
      if (v) known.vat.set(code, { rate: v.rate, reverseCharge: v.reverse_charge });
      else known.vat.delete(code);
    }
  }
}
