/** A run that cannot be started, shown or stopped as asked: one line that says what and where. Exit code 1. */
export class RunError extends Error {
  override readonly name = 'RunError';
}
