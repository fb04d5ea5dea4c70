import { TopicConfigError, type TopicSpec } from './Bus.ts';

/**
 * An existing topic can serve the catalogue's spec only with at least as many partitions (fewer
 * would move keys between partitions and break co-partitioning) and the same cleanup policy
 * (a compacted state topic that deletes would lose state; an event topic that compacts loses events).
 */
export function checkTopicCompatible(wanted: TopicSpec, actual: { partitions: number; compacted: boolean }): void {
  if (actual.partitions < wanted.partitions) {
    throw new TopicConfigError(
      `topic ${wanted.name} has ${actual.partitions} partitions; the catalogue needs ${wanted.partitions}`,
    );
  }
  if (actual.compacted !== wanted.compacted) {
    const policy = (compacted: boolean) => (compacted ? 'compact' : 'delete');
    throw new TopicConfigError(
      `topic ${wanted.name} has cleanup.policy=${policy(actual.compacted)}; the catalogue needs ${policy(wanted.compacted)}`,
    );
  }
}
