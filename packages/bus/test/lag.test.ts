import { describe, expect, it } from "vitest";
import { topicLag } from "../src/lag.js";

const partitions = [
  { partition: 0, low: 0, high: 10 },
  { partition: 1, low: 5, high: 8 },
];

describe("a consumer's lag on a topic", () => {
  it("is each partition's end offset minus the next offset stored, summed", () => {
    expect(
      topicLag(
        partitions,
        new Map([
          [0, 4],
          [1, 8],
        ]),
        true,
      ),
    ).toBe(6);
  });

  it("counts a partition with no stored offset from its first record when the consumer reads from the beginning", () => {
    expect(topicLag(partitions, new Map([[0, 10]]), true)).toBe(3);
  });

  it("counts nothing for such a partition when the consumer starts at the end", () => {
    expect(topicLag(partitions, new Map([[0, 10]]), false)).toBe(0);
  });

  it("counts a whole partition whose stored offset lies beyond its end: the topic was created again", () => {
    expect(
      topicLag(
        partitions,
        new Map([
          [0, 25],
          [1, 8],
        ]),
        true,
      ),
    ).toBe(10);
  });

  it("does not count records retention deleted before the stored offset was reached", () => {
    expect(
      topicLag(
        partitions,
        new Map([
          [0, 10],
          [1, 2],
        ]),
        true,
      ),
    ).toBe(3);
  });
});
