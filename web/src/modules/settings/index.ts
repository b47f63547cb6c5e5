import { defineAppModule } from '@/app/module';

export const settingsModule = defineAppModule({
  id: 'settings',
  routes: [
    {
      path: 'settings',
      name: 'settings',
      component: () => import('./views/SettingsView.vue'),
      meta: { title: 'Settings', permission: 'ADMIN' },
    },
    {
      path: 'settings/accounting-connection',
      name: 'accounting-connection',
      component: () => import('./views/AccountingConnectionView.vue'),
      meta: { title: 'Accounting connection', permission: 'ADMIN' },
    },
  ],
  nav: [
    {
      label: 'Settings',
      to: { name: 'settings' },
      icon: 'pi pi-cog',
      permission: 'ADMIN',
      section: 'admin',
      order: 30,
    },
    {
      label: 'Accounting connection',
      to: { name: 'accounting-connection' },
      icon: 'pi pi-link',
      permission: 'ADMIN',
      section: 'admin',
      order: 31,
    },
  ],
});
