import { describeBusContract } from './busContract.ts';
import { InProcessBus } from './InProcessBus.ts';

describeBusContract('in-process', async () => new InProcessBus());
