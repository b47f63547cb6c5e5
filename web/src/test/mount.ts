import { createApp, defineComponent, h, type Component } from 'vue';
import { mount, type ComponentMountingOptions } from '@vue/test-utils';
import { createMemoryHistory } from 'vue-router';
import type { MockApolloClient } from 'mock-apollo-client';
import { appModules } from '@/app/modules';
import { installPlugins } from '@/app/plugins';
import { createAppRouter } from '@/app/router';
import { createSession } from '@/composables/useSession';
import type { Role } from '@/gql/graphql';
import { createTestClient } from './apollo';
import { viewer } from './fixtures';

export interface MountViewOptions {
  role?: Role;
  client?: MockApolloClient;
  /** Where the router starts, e.g. `/invoices?tab=all`. */
  path?: string;
  props?: Record<string, unknown>;
}

/**
 * Mounts a view the way the app does: PrimeVue, the router with every module's routes, the
 * session (signed in with `role`) and a mocked Apollo client wired to the real documents.
 */
export async function mountView(component: Component, options: MountViewOptions = {}) {
  const client = options.client ?? createTestClient();
  const session = createSession(client);
  session.viewer.value = viewer(options.role ?? 'ACCOUNTANT');
  const router = createAppRouter({ session, modules: appModules, history: createMemoryHistory() });
  await router.push(options.path ?? '/');
  await router.isReady();

  const wrapper = mount(component, {
    props: options.props,
    attachTo: document.body,
    global: {
      plugins: [
        router,
        {
          install(app) {
            installPlugins(app, { client, session, theme: false });
          },
        },
      ],
    },
  } as ComponentMountingOptions<Component>);
  return { wrapper, client, router, session };
}

/** Runs a composable inside a component with the app's plugins (for composable tests). */
export function withSetup<T>(composable: () => T, client: MockApolloClient = createTestClient()) {
  let result!: T;
  const session = createSession(client);
  session.viewer.value = viewer('ACCOUNTANT');
  const app = createApp(
    defineComponent({
      setup() {
        result = composable();
        return () => h('div');
      },
    }),
  );
  installPlugins(app, { client, session, theme: false });
  app.mount(document.createElement('div'));
  return { result, app, client };
}
