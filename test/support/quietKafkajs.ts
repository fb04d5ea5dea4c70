import { dropKafkajsTimeoutWarning } from '@crossvenue/runtime/process';

dropKafkajsTimeoutWarning();
