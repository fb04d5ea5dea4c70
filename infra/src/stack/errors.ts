import type { ServiceName } from './serviceName.ts';

/**
 * Why the local stack could not be brought up, in one line that names the service, the reason and,
 * where there is one, the log file to read next.
 */
export class StackError extends Error {
  override readonly name = 'StackError';
  readonly reason: string;

  constructor(
    readonly service: ServiceName,
    reason: string,
    readonly log?: string,
  ) {
    const oneLine = reason.replace(/\s+/g, ' ').trim();
    super(`${service}: ${oneLine}${log ? ` (see ${log})` : ''}`);
    this.reason = oneLine;
  }
}
