/**
 * A value from outside (a venue payload, an API request, a config file) that breaks a domain rule.
 * Retrying cannot help: the caller rejects the input or dead-letters the record, with this message.
 */
export class InvalidInputError extends Error {
  override readonly name = 'InvalidInputError';
  readonly retriable = false;
}
