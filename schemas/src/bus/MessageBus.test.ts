import { LocalCodec } from '../codec/LocalCodec.ts';
import { InProcessBus } from './InProcessBus.ts';
import { describeMessageBusContract } from './messageBusContract.ts';

describeMessageBusContract('in-process + local codec', async () => ({ bus: new InProcessBus(), codec: new LocalCodec() }));
