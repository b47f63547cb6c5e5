import type { BankEntryMatchState } from '@/gql/graphql';

export const MATCH_STATE_LABELS: Record<BankEntryMatchState, string> = {
  MATCHED: 'Matched',
  QUEUED: 'In the match queue',
  IGNORED: 'Ignored',
  NOT_APPLICABLE: 'Not a payment',
};

export const MATCH_STATE_SEVERITY: Record<
  BankEntryMatchState,
  'success' | 'warn' | 'secondary' | 'info'
> = {
  MATCHED: 'success',
  QUEUED: 'warn',
  IGNORED: 'secondary',
  NOT_APPLICABLE: 'info',
};
