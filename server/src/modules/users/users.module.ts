import type { ApiModule } from '../../common/api-module.js';
import { AuthResolver } from './auth.resolver.js';

export const usersModule: ApiModule = { name: 'users', resolvers: [AuthResolver] };
