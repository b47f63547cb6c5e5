import { defineAppModule } from '@/app/module';

export const monitorModule = defineAppModule({
  id: 'monitor',
  routes: [
    {
      path: 'monitor',
      name: 'transfer-monitor',
      component: () => import('./views/TransferMonitorView.vue'),
      meta: { title: 'Transfer monitor', permission: 'ADMIN' },
    },
  ],
  nav: [
    {
      label: 'Transfer monitor',
      to: { name: 'transfer-monitor' },
      icon: 'pi pi-wave-pulse',
      permission: 'ADMIN',
      section: 'admin',
      order: 20,
    },
  ],
});
