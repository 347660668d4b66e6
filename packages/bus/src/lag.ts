/** A partition's first and end offsets, as the broker reports them. */
export interface PartitionOffsets {
  partition: number;
  low: number;
  high: number;
}

/**
 * Records of one topic a consumer has not applied yet, summed over its partitions: the end offset
 * minus the next offset the consumer stored for the partition. Where it stored none, it reads from
 * the first record (`fromBeginning`) or from the end; where the stored offset lies beyond the end,
 * the topic was created again and it reads the whole partition again (as `IdempotentConsumer`
 * does); where it lies before the first record, what was deleted by retention is not counted.
 */
export function topicLag(
  partitions: readonly PartitionOffsets[],
  stored: ReadonlyMap<number, number>,
  fromBeginning: boolean,
): number {
  let lag = 0;
  for (const p of partitions) {
    const next = stored.get(p.partition);
    const from =
      next === undefined ? (fromBeginning ? p.low : p.high) : next > p.high ? p.low : Math.max(next, p.low);
    lag += Math.max(0, p.high - from);
  }
  return lag;
}
