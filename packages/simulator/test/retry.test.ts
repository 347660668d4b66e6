import { describe, expect, it } from "vitest";
import { isTransientStatus, lostActionOutcome, retryDelay } from "../src/retry.js";

describe("when the driver sends a step again", () => {
  it("retries a request that got no answer and a 502, 503 or 504, nothing else", () => {
    expect([0, 502, 503, 504].map(isTransientStatus)).toEqual([true, true, true, true]);
    expect([200, 400, 404, 409, 422, 500].map(isTransientStatus)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it("waits twice as long after each try, up to a ceiling", () => {
    expect([0, 1, 2, 3, 4, 5, 6].map((a) => retryDelay(a, 100, 2_000))).toEqual([
      100, 200, 400, 800, 1_600, 2_000, 2_000,
    ]);
    expect(retryDelay(1_000, 100, 2_000)).toBe(2_000);
  });
});

describe("a processing action whose answer was lost", () => {
  const before = { version: 4, state: "processing" };

  it("was applied when the version moved on by one to the state the action leads to", () => {
    expect(lostActionOutcome("resolve", before, { version: 5, state: "resolved" })).toBe("done");
    expect(
      lostActionOutcome("request-supplement", before, { version: 5, state: "awaiting_supplement" }),
    ).toBe("done");
    expect(
      lostActionOutcome("assign", { version: 1, state: "received" }, { version: 2, state: "processing" }),
    ).toBe("done");
  });

  it("was applied when an action that keeps the state moved the version on by one", () => {
    expect(lostActionOutcome("transfer", before, { version: 5, state: "processing" })).toBe("done");
    expect(lostActionOutcome("extend", before, { version: 5, state: "processing" })).toBe("done");
  });

  it("goes again when the version did not move", () => {
    expect(lostActionOutcome("resolve", before, { version: 4, state: "processing" })).toBe("resend");
  });

  it("goes again when the version moved to another state or by more than one", () => {
    expect(lostActionOutcome("resolve", before, { version: 5, state: "awaiting_payment" })).toBe("resend");
    expect(lostActionOutcome("transfer", before, { version: 5, state: "resolved" })).toBe("resend");
    expect(lostActionOutcome("resolve", before, { version: 6, state: "resolved" })).toBe("resend");
    expect(lostActionOutcome("no-such-action", before, { version: 5, state: "processing" })).toBe("resend");
  });
});
