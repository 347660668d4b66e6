import { describe, expect, it } from "vitest";
import { newClusterId } from "../../stack/kafka.js";

describe("the KRaft cluster id", () => {
  // One random id in 64 starts with "-", which the storage tool reads as an option: 5,000 draws
  // would meet about 78 of them.
  const ids = Array.from({ length: 5_000 }, newClusterId);

  it("never starts with a dash, so `StorageTool format -t <id>` takes it as the id", () => {
    expect(ids.filter((id) => id.startsWith("-"))).toEqual([]);
  });

  it("is 16 random bytes in URL-safe base64 without padding, as kafka-storage makes them", () => {
    for (const id of ids) {
      expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(Buffer.from(id, "base64url")).toHaveLength(16);
    }
    expect(new Set(ids).size).toBe(ids.length);
  });
});
