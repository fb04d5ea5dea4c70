import { createLogger } from '../logger.ts';
import { resolveEndpoints } from '../endpoints.ts';
import { describeBusContract } from './describeBusContract.ts';
import { KafkaBus } from './KafkaBus.ts';

describeBusContract(
  'kafka',
  async () =>
    new KafkaBus({
      brokers: resolveEndpoints().kafkaBrokers,
      clientId: 'bus-contract',
      logger: createLogger('bus-contract', { level: 'warn' }),
    }),
);
