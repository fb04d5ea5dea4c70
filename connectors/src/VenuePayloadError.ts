/** A venue sent something we cannot trust; the message says where and what, on one line. */
export class VenuePayloadError extends Error {
  override readonly name = 'VenuePayloadError';
  constructor(
    readonly where: string,
    problem: string,
  ) {
    super(`${where}: ${problem}`);
  }
}
