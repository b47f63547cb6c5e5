import { defineAppModule } from '@/app/module';

export const accountingModule = defineAppModule({
  id: 'accounting',
  routes: [
    {
      // One parent, so the navigation entry stays highlighted on every accounting page.
      path: 'accounting',
      children: [
        {
          path: '',
          name: 'ledger-journals',
          component: () => import('./views/JournalsView.vue'),
          meta: { title: 'Journals' },
        },
        {
          path: 'entries/:id',
          name: 'ledger-entry',
          component: () => import('./views/LedgerEntryView.vue'),
          props: true,
          meta: { title: 'Ledger entry' },
        },
        {
          path: 'periods',
          name: 'accounting-periods',
          component: () => import('./views/PeriodsView.vue'),
          meta: { title: 'Periods and lock date' },
        },
      ],
    },
  ],
  nav: [{ label: 'Accounting', to: { name: 'ledger-journals' }, icon: 'pi pi-book', order: 20 }],
});
