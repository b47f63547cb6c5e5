import type { RouteLocationRaw, RouteRecordRaw } from 'vue-router';
import type { Permission } from '@/composables/usePermissions';

declare module 'vue-router' {
  interface RouteMeta {
    /** Shown in the browser tab: "<title> · Ledgerlink". */
    title?: string;
    /** Reachable without signing in (the login page). */
    public?: boolean;
    /** Needed in the selected organization; otherwise the "not allowed" page is shown. */
    permission?: Permission;
    /** Full-screen page without the navigation (login). */
    bare?: boolean;
  }
}

export interface NavItem {
  label: string;
  to: RouteLocationRaw;
  /** A PrimeIcons class, e.g. `pi pi-file`. */
  icon: string;
  /** Hidden from members without it. */
  permission?: Permission;
  /** `main` for daily work, `admin` for configuration. */
  section?: 'main' | 'admin';
  /** Lower first within a section. */
  order?: number;
}

/**
 * A feature area of the SPA. Add one by creating `modules/<domain>/index.ts` that exports
 * an AppModule and listing it in `app/modules.ts`; nothing else needs to change.
 */
export interface AppModule {
  id: string;
  /** Rendered inside the app layout (navigation, organization switcher). */
  routes: RouteRecordRaw[];
  nav?: NavItem[];
}

export function defineAppModule(module: AppModule): AppModule {
  return module;
}
