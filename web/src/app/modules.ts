import type { AppModule } from './module';
import { accountingModule } from '@/modules/accounting';
import { approvalProcessesModule } from '@/modules/approval-processes';
import { bankStatementsModule } from '@/modules/bank-statements';
import { invoicesModule } from '@/modules/invoices';
import { monitorModule } from '@/modules/monitor';
import { reportsModule } from '@/modules/reports';
import { settingsModule } from '@/modules/settings';

/** Every feature module of the SPA: their routes and navigation entries. */
export const appModules: AppModule[] = [
  invoicesModule,
  accountingModule,
  reportsModule,
  bankStatementsModule,
  monitorModule,
  approvalProcessesModule,
  settingsModule,
];
