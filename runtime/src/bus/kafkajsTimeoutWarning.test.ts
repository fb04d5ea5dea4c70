import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const MODULE = fileURLToPath(new URL('./kafkajsTimeoutWarning.ts', import.meta.url));

describe('dropKafkajsTimeoutWarning', () => {
  it('drops TimeoutNegativeWarning from the process\'s stderr and prints every other warning', () => {
    // A process of its own: the warning listeners are process-wide.
    const script = `const { dropKafkajsTimeoutWarning } = await import(${JSON.stringify(MODULE)}); dropKafkajsTimeoutWarning(); dropKafkajsTimeoutWarning();
process.emitWarning('-1796458984373 is a negative number.', 'TimeoutNegativeWarning'); process.emitWarning('something else', 'OtherWarning');`;
    const { stderr, status } = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(status).toBe(0);
    expect(stderr).toContain('OtherWarning: something else');
    expect(stderr).not.toContain('TimeoutNegativeWarning');
    // Dropped once: a second call does not print the others twice.
    expect(stderr.match(/OtherWarning/g)).toHaveLength(1);
  });
});
