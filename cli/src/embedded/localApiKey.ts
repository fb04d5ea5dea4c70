import { randomBytes } from 'node:crypto';
import { ApiKeys, type Role } from '@crossvenue/gateway';

/** A random API key valid for this run only, and the key set holding just it (named "local"). */
export function localApiKey(role: Role): { key: string; keys: ApiKeys } {
  const key = randomBytes(24).toString('hex');
  return { key, keys: new ApiKeys([{ name: 'local', role, key }]) };
}
