import { defineAppModule } from '@/app/module';

export const approvalProcessesModule = defineAppModule({
  id: 'approval-processes',
  routes: [
    {
      // One parent, so the navigation entry stays highlighted in the editor.
      path: 'approval-processes',
      meta: { permission: 'ADMIN' },
      children: [
        {
          path: '',
          name: 'approval-processes',
          component: () => import('./views/ApprovalProcessListView.vue'),
          meta: { title: 'Approval processes' },
        },
        {
          path: 'new',
          name: 'approval-process-new',
          component: () => import('./views/ApprovalProcessEditView.vue'),
          meta: { title: 'New approval process' },
        },
        {
          path: ':id',
          name: 'approval-process',
          component: () => import('./views/ApprovalProcessEditView.vue'),
          props: true,
          meta: { title: 'Approval process' },
        },
      ],
    },
  ],
  nav: [
    {
      label: 'Approval processes',
      to: { name: 'approval-processes' },
      icon: 'pi pi-sitemap',
      permission: 'ADMIN',
      section: 'admin',
      order: 10,
    },
  ],
});
