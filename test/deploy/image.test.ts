import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEPLOY, ROOT } from './deployFiles.ts';

/**
 * The image every manifest runs (infra/deploy/Dockerfile). No Docker here to build it, so these are
 * the properties the manifests and `npm ci` rely on, read from the file.
 */
const dockerfile = readFileSync(join(DEPLOY, 'Dockerfile'), 'utf8');
const instructions = dockerfile.split('\n').filter((line) => /^[A-Z]+\s/.test(line));
const ignored = readFileSync(join(DEPLOY, 'Dockerfile.dockerignore'), 'utf8').split('\n').filter((line) => line && !line.startsWith('#'));

describe('the worker image (infra/deploy/Dockerfile)', () => {
  it("copies every workspace's package.json before `npm ci`, which refuses a missing workspace", () => {
    const { workspaces } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { workspaces: string[] };
    const install = instructions.findIndex((line) => line.startsWith('RUN npm ci'));
    const copied = instructions.slice(0, install).flatMap((line) => /^COPY (\S+)\/package\.json \1\/$/.exec(line)?.slice(1) ?? []);
    expect(copied.sort()).toEqual([...workspaces].sort());
  });

  it('is the crossvenue command, run as a non-root user: manifests pass `worker <name>`', () => {
    expect(instructions).toContain('ENTRYPOINT ["node", "cli/bin/crossvenue.js"]');
    expect(instructions).toContain('USER node');
    expect(instructions.findIndex((line) => line === 'USER node')).toBeGreaterThan(instructions.findIndex((line) => line.startsWith('RUN ')));
  });

  it('leaves node_modules, local state and the compose secrets out of the build context', () => {
    expect(ignored).toEqual(expect.arrayContaining(['**/node_modules', '.stack', '.crossvenue', 'infra/deploy/compose/secrets']));
  });
});
