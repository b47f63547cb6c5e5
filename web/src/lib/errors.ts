/** A sentence for the user from whatever a query or mutation threw. */
export function errorMessage(error: unknown): string {
  if (!error) return '';
  const e = error as {
    message?: string;
    networkError?: { message?: string; statusCode?: number } | null;
    graphQLErrors?: readonly { message: string }[];
  };
  if (e.networkError) {
    return e.networkError.statusCode
      ? `The server answered with HTTP ${e.networkError.statusCode}. Try again in a moment.`
      : 'The server cannot be reached. Check your connection and try again.';
  }
  if (e.graphQLErrors?.length) return e.graphQLErrors.map((g) => g.message).join(' ');
  return e.message ?? String(error);
}

export interface FieldError {
  code: string;
  message: string;
  field?: readonly string[] | null;
}

/** The errors whose field path starts with `path` (e.g. ['lines', '0']). */
export function errorsAt<T extends FieldError>(errors: readonly T[], path: readonly string[]): T[] {
  return errors.filter((e) => !!e.field && path.every((segment, i) => e.field?.[i] === segment));
}
