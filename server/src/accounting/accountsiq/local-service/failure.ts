/** A refusal the local service reports inside an HTTP 200 answer, as accountsIQ does. */
export class AiqFailure extends Error {
  constructor(
    readonly errorCode: string,
    message: string,
    readonly hasExpired = false,
  ) {
    super(message);
    this.name = 'AiqFailure';
  }
}
