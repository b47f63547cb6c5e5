/**
 * The SOAP service object of the local accountsIQ service: every operation checks its request
 * against the WSDL, resolves the company from AiqSoapHeader.Entity, checks the access token
 * (an expired or unknown one answers HasExpired), runs, and wraps what it returns or refuses in
 * a WSResult2Of… (failures are answers, not SOAP faults, as in accountsIQ).
 */
import type { IServices } from 'soap';
import type { LocalCompany } from './company.js';
import { AiqFailure } from './failure.js';
import type { FaultPlan } from './faults.js';
import * as ops from './operations.js';
import type { RequestValidator } from './request-validation.js';
import { obj, str, type Parsed } from '../soap-values.js';

type Handler = (company: LocalCompany, args: Parsed, now: number) => unknown;

export interface ServiceContext {
  companies: Map<string, LocalCompany>;
  validator: RequestValidator;
  faults: FaultPlan;
  /** Every WSDL violation seen, for the tests to assert none. */
  violations: string[];
}

const SUCCESS = { Status: 'Success', ErrorCode: 'SUCCESS', HasExpired: false };

function failure(code: string, message: string, hasExpired = false) {
  return { Status: 'Failure', ErrorCode: code, ErrorMessage: message, HasExpired: hasExpired };
}

function tokenOf(company: LocalCompany, accessToken: string, now: number): boolean {
  const token = company.tokens.get(accessToken);
  return token !== undefined && token.expiresAt > now;
}

export function createServices(ctx: ServiceContext): IServices {
  const operation =
    (name: string, handler: Handler, authenticated = true) =>
    async (args: Parsed, _cb: unknown, headers: Parsed | undefined, req: object) => {
      const header = headers?.AiqSoapHeader;
      const problems = ctx.validator.check(name, args, header);
      if (problems.length > 0) {
        ctx.violations.push(...problems);
        throw {
          Fault: {
            faultcode: 'soap:Client',
            faultstring: `request does not match the WSDL: ${problems.join('; ')}`,
            statusCode: 500,
          },
        };
      }
      const out = (result: object) => ({ [`${name}Result`]: result });
      const now = Date.now();
      const entity = str(obj(header).Entity);
      const company = ctx.companies.get(entity);
      if (!company) return out(failure('CONFIGURATION_ERROR', `Unknown entity '${entity}'.`));
      if (authenticated) {
        if (
          ctx.faults.expiredRequests.has(req) ||
          !tokenOf(company, str(obj(header).AccessToken), now)
        )
          return out(failure('TOKEN_EXPIRED', 'The access token has expired.', true));
      }
      try {
        const result = handler(company, args, now);
        return out({ ...SUCCESS, Result: result });
      } catch (err) {
        if (err instanceof AiqFailure)
          return out(failure(err.errorCode, err.message, err.hasExpired));
        throw err;
      }
    };

  const tokenGet: Handler = (company, args, now) => {
    if (
      str(args.clientId) !== company.seed.clientId ||
      str(args.clientSecret) !== company.seed.clientSecret
    )
      throw new AiqFailure('INVALID_CREDENTIALS', 'The client id or client secret is not valid.');
    return ops.issueToken(company, now);
  };

  return {
    Integration_2_0: {
      Integration_2_0Soap: {
        TokenGet: operation('TokenGet', tokenGet, false),
        TokenRefresh: operation('TokenRefresh', ops.refreshToken, false),
        GetCompanyName: operation('GetCompanyName', (c) => c.seed.companyName),
        GetGLAccountList: operation('GetGLAccountList', ops.glAccounts),
        GetTaxCodeList: operation('GetTaxCodeList', ops.taxCodes),
        GetDepartmentList: operation('GetDepartmentList', ops.departments),
        GetSupplierList: operation('GetSupplierList', ops.suppliers),
        GetPeriodList: operation('GetPeriodList', ops.periods),
        GetNewBatchPurchasesInvoice: operation('GetNewBatchPurchasesInvoice', ops.newBatchInvoice),
        CreateBatchPurchasesInvoiceGetBackTransactionID: operation(
          'CreateBatchPurchasesInvoiceGetBackTransactionID',
          ops.createBatchInvoice,
        ),
        GetNewPurchasesInvoice: operation('GetNewPurchasesInvoice', ops.newItemInvoice),
        GetNewPurchasesCreditNote: operation('GetNewPurchasesCreditNote', ops.newCreditNote),
        SaveInvoiceGetBackInvoiceID: operation('SaveInvoiceGetBackInvoiceID', ops.saveInvoice),
        PostInvoiceGetBackTransactionID: operation(
          'PostInvoiceGetBackTransactionID',
          ops.postInvoice,
        ),
        SavePurchasePaymentGetBackTransactionID: operation(
          'SavePurchasePaymentGetBackTransactionID',
          ops.savePayment,
        ),
        GetTransactionsByExternalReference: operation(
          'GetTransactionsByExternalReference',
          ops.transactionsByExternalReference,
        ),
        GetTransaction: operation('GetTransaction', ops.transaction),
        GetInvoicesBySupplierCode: operation(
          'GetInvoicesBySupplierCode',
          ops.transactionsBySupplier,
        ),
      },
    },
  } as unknown as IServices;
}
