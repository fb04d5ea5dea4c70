// The follower configuration surface (@crossvenue/processors/synchronizer): what the gateway needs
// to check a follower's configuration as the synchronizer will, and to publish it. No worker and
// nothing that reads or writes the bus.
export { formatFollower, parseFollower, type FollowerConfig } from './FollowerConfig.ts';
export { followerKey, pauseKey } from './followerCommands.ts';
