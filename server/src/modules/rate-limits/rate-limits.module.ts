import type { ApiModule } from '../../common/api-module.js';
import { RateLimitResolver } from './rate-limit.resolver.js';

export const rateLimitsModule: ApiModule = { name: 'rate-limits', resolvers: [RateLimitResolver] };
