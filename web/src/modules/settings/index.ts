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
  ],
});
