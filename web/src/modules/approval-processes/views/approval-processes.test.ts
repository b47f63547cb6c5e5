import { describe, expect, it, vi } from 'vitest';
import { defineComponent, h } from 'vue';
import { flushPromises, type VueWrapper } from '@vue/test-utils';
import ConfirmDialog from 'primevue/confirmdialog';
import {
  ApprovalProcessDocument,
  ApprovalProcessesDocument,
  CreateApprovalProcessDocument,
  DeleteApprovalProcessDocument,
  MembersDocument,
  type MembersQueryVariables,
  UpdateApprovalProcessDocument,
} from '@/gql/graphql';
import { approvalProcess, stage, userError } from '@/test/admin-fixtures';
import { createTestClient } from '@/test/apollo';
import { ORG_ID } from '@/test/fixtures';
import { mountView } from '@/test/mount';
import ApprovalProcessEditView from './ApprovalProcessEditView.vue';
import ApprovalProcessListView from './ApprovalProcessListView.vue';

const liisa = {
  __typename: 'User' as const,
  id: 'user-liisa',
  name: 'Liisa Mäkinen',
  email: 'liisa@aurora.example',
};

function member(
  id: string,
  name: string,
  overrides: Partial<{ role: 'APPROVER' | 'ACCOUNTANT' | 'ADMIN'; active: boolean }> = {},
) {
  return {
    __typename: 'Member' as const,
    role: overrides.role ?? 'APPROVER',
    active: overrides.active ?? true,
    user: {
      __typename: 'User' as const,
      id: `user-${id}`,
      name,
      email: `${id}@aurora.example`,
    },
  };
}

function membersResult(
  nodes: ReturnType<typeof member>[],
  options: { hasNextPage?: boolean; totalCount?: number } = {},
) {
  return {
    data: {
      members: {
        __typename: 'MemberConnection' as const,
        totalCount: options.totalCount ?? nodes.length,
        pageInfo: {
          __typename: 'PageInfo' as const,
          hasNextPage: options.hasNextPage ?? false,
          endCursor: nodes.length ? `cursor-${nodes.length}` : null,
        },
        nodes,
      },
    },
  };
}

function editorClient(
  members: (vars: MembersQueryVariables) => Promise<ReturnType<typeof membersResult>> = async () =>
    membersResult([member('anna', 'Anna Virtanen')]),
) {
  const client = createTestClient();
  client.setRequestHandler(MembersDocument, members);
  const process = approvalProcess(1, {
    name: 'Default approval',
    version: 4,
    stages: [
      stage(1, { name: 'Inspection', approvers: [liisa] }),
      stage(2, {
        name: 'Accounting check',
        approverRole: 'ACCOUNTANT',
        transferFromThisStep: true,
      }),
    ],
  });
  client.setRequestHandler(ApprovalProcessDocument, async () => ({ data: { node: process } }));
  client.setRequestHandler(ApprovalProcessesDocument, async () => ({
    data: { approvalProcesses: [process] },
  }));
  return { client, process };
}

/** The answer to a successful updateApprovalProcess. */
const saved = (process: ReturnType<typeof editorClient>['process']) => ({
  data: {
    updateApprovalProcess: {
      __typename: 'UpdateApprovalProcessPayload',
      approvalProcess: process,
      userErrors: [],
    },
  },
});

const stageCards = (wrapper: VueWrapper) =>
  wrapper.findAll('[data-testid^="stage-"]').filter((w) => w.element.tagName === 'FIELDSET');

describe('approval process editor', () => {
  it('adds a stage "transferred from this step", moves it up and saves the whole list in order', async () => {
    const { client, process } = editorClient();
    const update = vi.fn(async () => saved(process));
    client.setRequestHandler(UpdateApprovalProcessDocument, update);
    const { wrapper, router } = await mountView(ApprovalProcessEditView, {
      client,
      role: 'ADMIN',
      path: '/approval-processes/process-1',
      props: { id: 'process-1' },
    });
    await flushPromises();
    expect((wrapper.find('[data-testid="process-name"]').element as HTMLInputElement).value).toBe(
      'Default approval',
    );
    expect(stageCards(wrapper)).toHaveLength(2);
    expect(stageCards(wrapper)[0].text()).toContain('Liisa Mäkinen');

    await wrapper.find('[data-testid="add-stage"]').trigger('click');
    await flushPromises();
    const added = stageCards(wrapper)[2];
    await added.find('[data-testid="stage-name"]').setValue('Controller review');
    await added.find('[data-testid="stage-transfer"] input').setValue(true);
    await added.find('button[aria-label="Move Controller review up"]').trigger('click');
    await flushPromises();
    expect(
      stageCards(wrapper).map(
        (c) => (c.find('[data-testid="stage-name"]').element as HTMLInputElement).value,
      ),
    ).toEqual(['Inspection', 'Controller review', 'Accounting check']);
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Move Controller review up');
    expect(wrapper.find('[aria-live="polite"]').text()).toBe(
      'Controller review moved to position 2 of 3.',
    );

    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(update).toHaveBeenCalledWith({
      input: {
        approvalProcessId: 'process-1',
        version: 4,
        name: 'Default approval',
        isDefault: true,
        stages: [
          {
            id: 'stage-1',
            name: 'Inspection',
            approverRole: 'APPROVER',
            approverUserIds: ['user-liisa'],
            transferFromThisStep: false,
          },
          {
            name: 'Controller review',
            approverRole: 'APPROVER',
            approverUserIds: [],
            transferFromThisStep: true,
          },
          {
            id: 'stage-2',
            name: 'Accounting check',
            approverRole: 'ACCOUNTANT',
            approverUserIds: [],
            transferFromThisStep: true,
          },
        ],
      },
    });
    await flushPromises();
    expect(router.currentRoute.value.name).toBe('approval-processes');
    wrapper.unmount();
  });

  it('shows each userError at its field, on the stage it was about even after a reorder', async () => {
    const { client } = editorClient();
    client.setRequestHandler(UpdateApprovalProcessDocument, async () => ({
      data: {
        updateApprovalProcess: {
          __typename: 'UpdateApprovalProcessPayload',
          approvalProcess: null,
          userErrors: [
            userError('VALIDATION', 'Stage name must not be empty', ['stages', '0', 'name']),
            userError(
              'VALIDATION',
              'Name who saves this stage: an approver role or approver users',
              ['stages', '0', 'approverRole'],
            ),
            userError('STALE_VERSION', 'Someone else changed this process; reload it', ['version']),
          ],
        },
      },
    }));
    const { wrapper } = await mountView(ApprovalProcessEditView, {
      client,
      role: 'ADMIN',
      path: '/approval-processes/process-1',
      props: { id: 'process-1' },
    });
    await flushPromises();
    const second = stageCards(wrapper)[1];
    await second.find('[data-testid="stage-name"]').setValue('');
    await second.find('button[aria-label="Move stage 2 up"]').trigger('click');
    await wrapper.find('form').trigger('submit');
    await flushPromises();

    const [first, other] = stageCards(wrapper);
    expect(first.text()).toContain('Stage name must not be empty');
    expect(first.text()).toContain('Name who saves this stage');
    expect(first.find('[data-testid="stage-name"]').attributes('aria-invalid')).toBe('true');
    expect(other.text()).not.toContain('must not be empty');
    expect(wrapper.find('[data-testid="process-errors"]').text()).toContain(
      'Someone else changed this process',
    );
    // Moving the stage after the save keeps its errors with it.
    await first.find('button[aria-label="Move stage 1 down"]').trigger('click');
    expect(stageCards(wrapper)[1].text()).toContain('Stage name must not be empty');
    wrapper.unmount();
  });

  it('offers the members who may approve, searched on the server; named people stay selectable', async () => {
    const members = vi.fn(async (vars: MembersQueryVariables) =>
      vars.search === 'ville'
        ? membersResult([member('ville', 'Ville Nieminen', { role: 'ACCOUNTANT' })])
        : membersResult(
            [member('anna', 'Anna Virtanen'), member('olli', 'Olli Poissa', { active: false })],
            { hasNextPage: true, totalCount: 150 },
          ),
    );
    const { client, process } = editorClient(members);
    const update = vi.fn(async () => saved(process));
    client.setRequestHandler(UpdateApprovalProcessDocument, update);
    const { wrapper } = await mountView(ApprovalProcessEditView, {
      client,
      role: 'ADMIN',
      path: '/approval-processes/process-1',
      props: { id: 'process-1' },
    });
    await flushPromises();
    // Viewers cannot approve: only the roles that can are asked for.
    expect(members).toHaveBeenCalledWith({
      organizationId: ORG_ID,
      search: null,
      role: ['APPROVER', 'ACCOUNTANT', 'ADMIN'],
      first: 100,
    });

    const picker = stageCards(wrapper)[0].find('[data-testid="stage-approvers"]');
    await picker.trigger('click');
    await flushPromises();
    const options = () =>
      [...document.body.querySelectorAll('.p-multiselect-option .option')].map((o) =>
        [...o.children].map((c) => c.textContent).join(' '),
      );
    // Liisa is named in the process but not on the first page; deactivated Olli is not offered.
    expect(options()).toEqual([
      'Anna Virtanen anna@aurora.example',
      'Liisa Mäkinen liisa@aurora.example',
    ]);
    expect(document.body.querySelector('.picker-note')?.textContent).toContain(
      'The first 100 of 150 members who may approve',
    );

    const filter = document.body.querySelector<HTMLInputElement>('.p-multiselect-filter')!;
    filter.value = 'ville';
    filter.dispatchEvent(new Event('input'));
    await new Promise((resolve) => setTimeout(resolve, 300)); // the search is debounced
    await flushPromises();
    expect(members).toHaveBeenLastCalledWith(expect.objectContaining({ search: 'ville' }));
    expect(options()).toEqual(['Ville Nieminen ville@aurora.example']);
    (document.body.querySelector('.p-multiselect-option') as HTMLElement).click();
    await flushPromises();

    // Closed, the list is back to the first page; Ville's chip keeps his name.
    await picker.trigger('click');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await flushPromises();
    const chips = stageCards(wrapper)[0]
      .findAll('.p-multiselect-chip-item')
      .map((c) => c.text());
    expect(chips).toEqual(['Liisa Mäkinen', 'Ville Nieminen']);

    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(update).toHaveBeenCalledWith({
      input: expect.objectContaining({
        stages: [
          expect.objectContaining({ approverUserIds: ['user-liisa', 'user-ville'] }),
          expect.objectContaining({ approverUserIds: [] }),
        ],
      }),
    });
    wrapper.unmount();
  });

  it('creates a process for the organization', async () => {
    const client = createTestClient();
    client.setRequestHandler(MembersDocument, async () => membersResult([]));
    client.setRequestHandler(ApprovalProcessesDocument, async () => ({
      data: { approvalProcesses: [] },
    }));
    const create = vi.fn(async () => ({
      data: {
        createApprovalProcess: {
          __typename: 'CreateApprovalProcessPayload',
          approvalProcess: approvalProcess(2, { name: 'Fast track' }),
          userErrors: [],
        },
      },
    }));
    client.setRequestHandler(CreateApprovalProcessDocument, create);
    const { wrapper, router } = await mountView(ApprovalProcessEditView, {
      client,
      role: 'ADMIN',
      path: '/approval-processes/new',
    });
    await wrapper.find('[data-testid="process-name"]').setValue('Fast track');
    await wrapper.find('[data-testid="stage-name"]').setValue('Controller');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(create).toHaveBeenCalledWith({
      input: {
        organizationId: ORG_ID,
        name: 'Fast track',
        isDefault: false,
        stages: [
          {
            name: 'Controller',
            approverRole: 'APPROVER',
            approverUserIds: [],
            transferFromThisStep: false,
          },
        ],
      },
    });
    await flushPromises();
    expect(router.currentRoute.value.name).toBe('approval-processes');
    wrapper.unmount();
  });
});

describe('approval process list', () => {
  it('shows the stages in order and why a process in use cannot be deleted', async () => {
    const client = createTestClient();
    client.setRequestHandler(ApprovalProcessesDocument, async () => ({
      data: {
        approvalProcesses: [
          approvalProcess(1, { name: 'Default approval' }),
          approvalProcess(2, { name: 'Fast track' }),
        ],
      },
    }));
    const remove = vi.fn(async () => ({
      data: {
        deleteApprovalProcess: {
          __typename: 'DeleteApprovalProcessPayload',
          deletedApprovalProcessId: null,
          userErrors: [
            userError('IN_USE', '3 invoices circulate in this process', ['approvalProcessId']),
          ],
        },
      },
    }));
    client.setRequestHandler(DeleteApprovalProcessDocument, remove);
    const { wrapper } = await mountView(
      defineComponent({ render: () => [h(ConfirmDialog), h(ApprovalProcessListView)] }),
      { client, role: 'ADMIN', path: '/approval-processes' },
    );
    await flushPromises();
    const cards = wrapper.findAll('[data-testid="process-card"]');
    expect(cards).toHaveLength(2);
    expect(cards[0].text()).toContain('Default');
    expect(cards[0].findAll('.stage-name').map((s) => s.text())).toEqual([
      'Inspection',
      'Accounting check',
    ]);
    expect(cards[0].text()).toContain('Invoice will be transferred from this step');

    await cards[1].find('button[aria-label="Delete Fast track"]').trigger('click');
    await flushPromises();
    [...document.body.querySelectorAll('button')]
      .find((b) => b.textContent?.trim() === 'Delete process')!
      .click();
    await flushPromises();
    expect(remove).toHaveBeenCalledWith({ input: { approvalProcessId: 'process-2', version: 1 } });
    expect(
      wrapper
        .findAll('[data-testid="process-card"]')[1]
        .find('[data-testid="delete-error"]')
        .text(),
    ).toContain('3 invoices circulate in this process');
    wrapper.unmount();
  });
});
