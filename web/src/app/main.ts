import { createApp } from 'vue';
import 'primeicons/primeicons.css';
import './styles.css';
import App from './App.vue';
import { createApollo } from './apollo';
import { appModules } from './modules';
import { installPlugins } from './plugins';
import { createAppRouter } from './router';
import { createSession } from '@/composables/useSession';

const { client } = createApollo({
  onUnauthenticated: () => {
    // The session expired or was ended elsewhere: back to the sign-in page, then return here.
    if (router.currentRoute.value.meta.public) return;
    session.clear();
    void router.replace({ name: 'login', query: { redirect: router.currentRoute.value.fullPath } });
  },
});
const session = createSession(client);
const router = createAppRouter({ session, modules: appModules });

const app = createApp(App);
installPlugins(app, { client, session });
app.use(router);
app.mount('#app');
