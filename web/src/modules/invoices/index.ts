import { defineAppModule } from '@/app/module';

export const invoicesModule = defineAppModule({
  id: 'invoices',
  routes: [
    {
      path: 'invoices',
      name: 'invoices',
      component: () => import('./views/InvoiceListView.vue'),
      meta: { title: 'Invoices' },
    },
    {
      path: 'invoices/:id',
      name: 'invoice',
      component: () => import('./views/InvoiceDetailView.vue'),
      props: true,
      meta: { title: 'Invoice' },
    },
  ],
  nav: [{ label: 'Invoices', to: { name: 'invoices' }, icon: 'pi pi-file', order: 10 }],
});
