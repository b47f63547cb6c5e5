import type { AppModule } from './module';
import { invoicesModule } from '@/modules/invoices';

/** Every feature module of the SPA: their routes and navigation entries. */
export const appModules: AppModule[] = [invoicesModule];
