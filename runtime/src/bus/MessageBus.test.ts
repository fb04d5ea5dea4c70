import { LocalCodec } from '@crossvenue/schemas';
import { InProcessBus } from './InProcessBus.ts';
import { describeMessageBusContract } from './describeMessageBusContract.ts';

describeMessageBusContract('in-process + local codec', async () => ({ bus: new InProcessBus(), codec: new LocalCodec() }));
