import { defineAppModule } from '@/app/module';

export const bankStatementsModule = defineAppModule({
  id: 'bank-statements',
  routes: [
    {
      path: 'bank',
      children: [
        {
          path: '',
          name: 'bank-statements',
          component: () => import('./views/BankStatementsView.vue'),
          meta: { title: 'Bank statements' },
        },
        {
          path: 'statements/:id',
          name: 'bank-statement',
          component: () => import('./views/BankStatementView.vue'),
          props: true,
          meta: { title: 'Bank statement' },
        },
      ],
    },
    // Its own path, so only its navigation entry is highlighted on it.
    {
      path: 'match-queue',
      name: 'bank-match-queue',
      component: () => import('./views/MatchQueueView.vue'),
      meta: { title: 'Match queue' },
    },
  ],
  nav: [
    {
      label: 'Bank statements',
      to: { name: 'bank-statements' },
      icon: 'pi pi-building-columns',
      order: 25,
    },
    { label: 'Match queue', to: { name: 'bank-match-queue' }, icon: 'pi pi-inbox', order: 26 },
  ],
});
