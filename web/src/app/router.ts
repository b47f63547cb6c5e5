import {
  createRouter,
  createWebHistory,
  type RouteRecordRaw,
  type Router,
  type RouterHistory,
} from 'vue-router';
import { roleAllows } from '@/composables/usePermissions';
import type { Session } from '@/composables/useSession';
import type { AppModule } from './module';
import AppLayout from './layout/AppLayout.vue';

export interface CreateRouterOptions {
  session: Session;
  modules: AppModule[];
  history?: RouterHistory;
}

export function createAppRouter({ session, modules, history }: CreateRouterOptions): Router {
  const routes: RouteRecordRaw[] = [
    {
      path: '/login',
      name: 'login',
      component: () => import('@/modules/auth/views/LoginView.vue'),
      meta: { title: 'Sign in', public: true, bare: true },
    },
    {
      path: '/',
      component: AppLayout,
      children: [
        { path: '', name: 'home', redirect: { name: 'invoices' } },
        ...modules.flatMap((m) => m.routes),
        {
          path: 'forbidden',
          name: 'forbidden',
          component: () => import('./views/ForbiddenView.vue'),
          meta: { title: 'Not allowed' },
        },
        {
          path: ':pathMatch(.*)*',
          name: 'not-found',
          component: () => import('./views/NotFoundView.vue'),
          meta: { title: 'Not found' },
        },
      ],
    },
  ];

  const router = createRouter({
    history: history ?? createWebHistory(),
    routes,
    scrollBehavior: (_to, _from, saved) => saved ?? { top: 0 },
  });

  router.beforeEach(async (to) => {
    if (to.meta.public) return true;
    const viewer = await session.load();
    if (!viewer) {
      return { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} };
    }
    const permission = to.matched.map((r) => r.meta.permission).find(Boolean);
    if (permission && !roleAllows(session.role.value, permission)) {
      return { name: 'forbidden', query: { from: to.fullPath, needs: permission } };
    }
    return true;
  });

  router.afterEach((to) => {
    if (typeof document !== 'undefined') {
      document.title = to.meta.title ? `${to.meta.title} · Ledgerlink` : 'Ledgerlink';
    }
  });

  return router;
}
