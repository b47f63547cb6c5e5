/* Server-shaped objects (with __typename) for the admin modules' tests. */

/** A Relay connection as the server sends it. */
export function relay<T>(
  typename: string,
  nodes: T[],
  options: { hasNextPage?: boolean; totalCount?: number } = {},
) {
  return {
    __typename: `${typename}Connection`,
    totalCount: options.totalCount ?? nodes.length,
    pageInfo: {
      __typename: 'PageInfo' as const,
      endCursor: nodes.length ? `cursor-${nodes.length}` : null,
      hasNextPage: options.hasNextPage ?? false,
    },
    edges: nodes.map((node, i) => ({
      __typename: `${typename}Edge`,
      cursor: `cursor-${i + 1}`,
      node,
    })),
  };
}

export const userError = (code: string, message: string, field: string[] | null = null) => ({
  __typename: 'UserError' as const,
  code,
  message,
  field,
});

export const transferError = (code: string, message: string, field: string[] | null = null) => ({
  __typename: 'TransferError' as const,
  code,
  message,
  field,
});

export function period(name: string, status: 'OPEN' | 'CLOSED' = 'OPEN') {
  const [y, m] = name.split('-').map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return {
    __typename: 'AccountingPeriod' as const,
    id: `period-${name}`,
    name,
    fiscalYear: y,
    startDate: `${name}-01`,
    endDate: `${name}-${String(last).padStart(2, '0')}`,
    status,
  };
}

export function stage(
  n: number,
  overrides: Partial<{
    name: string;
    approverRole: 'APPROVER' | 'ACCOUNTANT' | 'ADMIN' | null;
    transferFromThisStep: boolean;
    approvers: { __typename: 'User'; id: string; name: string; email: string }[];
  }> = {},
) {
  return {
    __typename: 'ApprovalStage' as const,
    id: `stage-${n}`,
    name: `Stage ${n}`,
    position: n - 1,
    approverRole: 'APPROVER' as 'APPROVER' | 'ACCOUNTANT' | 'ADMIN' | null,
    transferFromThisStep: false,
    approvers: [] as { __typename: 'User'; id: string; name: string; email: string }[],
    ...overrides,
  };
}

export function approvalProcess(
  n: number,
  overrides: Partial<{
    name: string;
    isDefault: boolean;
    version: number;
    stages: ReturnType<typeof stage>[];
  }> = {},
) {
  return {
    __typename: 'ApprovalProcess' as const,
    id: `process-${n}`,
    name: `Process ${n}`,
    isDefault: n === 1,
    version: 1,
    stages: [
      stage(1, { name: 'Inspection' }),
      stage(2, {
        name: 'Accounting check',
        approverRole: 'ACCOUNTANT',
        transferFromThisStep: true,
      }),
    ],
    ...overrides,
  };
}
