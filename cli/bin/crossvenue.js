#!/usr/bin/env node
// Runs the TypeScript sources directly: the workspace packages export `src`, so there is no build step.
import { register } from 'tsx/esm/api';

register();
// A command's stderr stays its own lines: kafkajs's harmless timer warning is dropped (see the function).
(await import('@crossvenue/runtime/process')).dropKafkajsTimeoutWarning();
await import('../src/main.ts');
