import type { App } from 'vue';
import type { ApolloClient } from '@apollo/client/core';
import { DefaultApolloClient } from '@vue/apollo-composable';
import PrimeVue from 'primevue/config';
import ConfirmationService from 'primevue/confirmationservice';
import ToastService from 'primevue/toastservice';
import Tooltip from 'primevue/tooltip';
import { SessionKey, type Session } from '@/composables/useSession';
import { LedgerlinkPreset } from './theme';

/** Everything the components expect around them; the tests install the same. */
export function installPlugins(
  app: App,
  {
    client,
    session,
    theme = true,
  }: {
    client: ApolloClient<unknown>;
    session: Session;
    /** Off in component tests: injecting the theme's CSS into happy-dom costs seconds. */
    theme?: boolean;
  },
) {
  app.provide(DefaultApolloClient, client);
  app.provide(SessionKey, session);
  app.use(
    PrimeVue,
    theme
      ? {
          theme: {
            preset: LedgerlinkPreset,
            options: { darkModeSelector: false, cssLayer: false },
          },
        }
      : { theme: 'none' },
  );
  app.use(ToastService);
  app.use(ConfirmationService);
  app.directive('tooltip', Tooltip);
}
