
      export type PossibleTypesResultData = {
  "possibleTypes": {
    "Actor": [
      "ApiClient",
      "SystemActor",
      "User"
    ],
    "Node": [
      "AccountingPeriod",
      "ApiClient",
      "ApprovalProcess",
      "ApprovalStage",
      "AuditEvent",
      "BankAccount",
      "BankStatement",
      "BankStatementEntry",
      "CreditOffset",
      "EInvoiceAttachment",
      "EInvoiceDocument",
      "InvoiceLine",
      "LedgerEntry",
      "Organization",
      "Payment",
      "PurchaseInvoice",
      "Supplier",
      "Transfer",
      "TransferBatch",
      "TransferReport",
      "User"
    ]
  }
};
      const result: PossibleTypesResultData = {
  "possibleTypes": {
    "Actor": [
      "ApiClient",
      "SystemActor",
      "User"
    ],
    "Node": [
      "AccountingPeriod",
      "ApiClient",
      "ApprovalProcess",
      "ApprovalStage",
      "AuditEvent",
      "BankAccount",
      "BankStatement",
      "BankStatementEntry",
      "CreditOffset",
      "EInvoiceAttachment",
      "EInvoiceDocument",
      "InvoiceLine",
      "LedgerEntry",
      "Organization",
      "Payment",
      "PurchaseInvoice",
      "Supplier",
      "Transfer",
      "TransferBatch",
      "TransferReport",
      "User"
    ]
  }
};
      export default result;
    