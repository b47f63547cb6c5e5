import { defineAppModule } from '@/app/module';

export const reportsModule = defineAppModule({
  id: 'reports',
  routes: [
    {
      // One parent, so the navigation entry stays highlighted on a report's page.
      path: 'reports',
      children: [
        {
          path: '',
          name: 'transfer-reports',
          component: () => import('./views/ReportListView.vue'),
          meta: { title: 'Transfer reports' },
        },
        {
          path: ':id',
          name: 'transfer-report',
          component: () => import('./views/ReportDetailView.vue'),
          props: true,
          meta: { title: 'Transfer report' },
        },
      ],
    },
  ],
  nav: [
    { label: 'Transfer reports', to: { name: 'transfer-reports' }, icon: 'pi pi-flag', order: 30 },
  ],
});
