/**
 * The size limits of e-invoice intake, in one place: the HTTP upload, the CLI, the mutation and
 * the attachment decoder all read them from here.
 */
export const EINVOICE_LIMITS = {
  /** Larger than any real e-invoice with its PDF, small enough to refuse a memory attack early. */
  maxDocumentBytes: 10 * 1024 * 1024,
  /** Decoded size of one embedded attachment. */
  maxAttachmentBytes: 10 * 1024 * 1024,
  maxAttachments: 10,
  /** Files in one multipart upload. */
  maxUploadFiles: 20,
} as const;
