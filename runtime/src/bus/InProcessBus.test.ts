import { describeBusContract } from './describeBusContract.ts';
import { InProcessBus } from './InProcessBus.ts';

describeBusContract('in-process', async () => new InProcessBus());
