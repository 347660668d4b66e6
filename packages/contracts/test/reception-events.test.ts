import { describe, expect, it } from "vitest";
import { personalDataKeys } from "../src/personal-data.js";
import { DossierReceivedPayload, DossierSubmittedPayload } from "../src/reception-events.js";
import { samples } from "./fixtures.js";

const received = samples["dossier.received"].payload;

describe("dossier.received", () => {
  it("carries the procedure's terms as they were at reception", () => {
    const parsed = DossierReceivedPayload.parse(received);
    expect(parsed.statutoryTime).toEqual({ amount: 15, unit: "days" });
    expect(parsed.supplementRule).toBe("pause");
    expect(parsed.steps.map((s) => s.unitCode)).toEqual(["H44.100", "H44.100", "H44.100"]);
  });

  it.each([...personalDataKeys])("refuses the personal-data field %s", (key) => {
    const result = DossierReceivedPayload.safeParse({ ...received, [key]: "x" });
    expect(result.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      [key, "personal data must stay in intake: remove this field"],
    ]);
  });

  it("was not submitted after it was received", () => {
    const result = DossierReceivedPayload.safeParse({
      ...received,
      submittedAt: "2026-05-04T10:00:01+07:00",
    });
    expect(result.error?.issues[0]?.message).toBe("submittedAt must not be after receivedAt");
  });

  it("is due after its clock starts", () => {
    const result = DossierReceivedPayload.safeParse({ ...received, dueAt: received.clockStartsAt });
    expect(result.error?.issues[0]?.message).toBe("dueAt must be after clockStartsAt");
  });

  it("fixes the unit of every step", () => {
    const steps = [{ ...received.steps[0], unitCode: null }];
    const result = DossierReceivedPayload.safeParse({ ...received, steps });
    expect(result.error?.issues[0]?.path).toEqual(["steps", 0, "unitCode"]);
  });

  it("knows the three reception channels", () => {
    for (const channel of ["direct", "online", "postal"]) {
      expect(DossierReceivedPayload.safeParse({ ...received, channel }).success).toBe(true);
    }
    expect(DossierReceivedPayload.safeParse({ ...received, channel: "fax" }).success).toBe(false);
  });

  it("accepts a within-day procedure with a 15:00 cut-off (chứng thực)", () => {
    const withinDay = { ...received, statutoryTime: { amount: 1, unit: "within-day" }, cutOff: "15:00" };
    expect(DossierReceivedPayload.safeParse(withinDay).success).toBe(true);
    const twice = { ...withinDay, statutoryTime: { amount: 2, unit: "within-day" } };
    expect(DossierReceivedPayload.safeParse(twice).error?.issues[0]?.path).toEqual([
      "statutoryTime",
      "amount",
    ]);
  });
});

describe("online submissions before acceptance", () => {
  it("are online by definition", () => {
    const payload = samples["dossier.submitted"].payload;
    expect(DossierSubmittedPayload.safeParse(payload).success).toBe(true);
    expect(DossierSubmittedPayload.safeParse({ ...payload, channel: "direct" }).success).toBe(false);
  });
});
