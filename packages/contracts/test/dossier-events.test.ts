import { describe, expect, it } from "vitest";
import {
  DossierExtendedPayload,
  DossierResolvedPayload,
  DossierStoppedPayload,
  DossierSupplementReceivedPayload,
} from "../src/dossier-events.js";
import { samples } from "./fixtures.js";

const messages = (result: {
  success: boolean;
  error?: { issues: { path: PropertyKey[]; message: string }[] };
}) => result.error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`) ?? [];

describe("dossier events", () => {
  it("an extension moves the promised date forward, never back (NgayHenTraMoi after NgayHenTraTruoc)", () => {
    const payload = samples["dossier.extended"].payload;
    expect(DossierExtendedPayload.safeParse(payload).success).toBe(true);
    const back = DossierExtendedPayload.safeParse({ ...payload, newDueAt: payload.previousDueAt });
    expect(messages(back)).toEqual(["newDueAt: newDueAt must be after previousDueAt"]);
  });

  it("a refusal carries its written reasons; an approval need not", () => {
    const payload = samples["dossier.resolved"].payload;
    expect(DossierResolvedPayload.safeParse(payload).success).toBe(true);
    const refused = DossierResolvedPayload.safeParse({ ...payload, outcome: "refused", refusalReasons: [] });
    expect(messages(refused)).toEqual(["refusalReasons: a refusal needs its written reasons"]);
    const explained = { ...payload, outcome: "refused", refusalReasons: ["Không đủ điều kiện"] };
    expect(DossierResolvedPayload.safeParse(explained).success).toBe(true);
  });

  it("a supplement cannot be supplied before it was requested", () => {
    const payload = samples["dossier.supplement-received"].payload;
    const early = DossierSupplementReceivedPayload.safeParse({
      ...payload,
      suppliedAt: "2026-05-11T10:00:00+07:00",
    });
    expect(messages(early)).toEqual(["suppliedAt: suppliedAt must not be before requestedAt"]);
  });

  it("compares instants, not strings: the same moment in another offset is fine", () => {
    const payload = samples["dossier.supplement-received"].payload;
    const utc = { ...payload, suppliedAt: "2026-05-12T03:00:00Z" };
    expect(DossierSupplementReceivedPayload.safeParse(utc).success).toBe(true);
  });

  it("a stop names one of the three reasons of docs/domain.md", () => {
    const payload = samples["dossier.stopped"].payload;
    for (const reason of ["withdrawn", "supplement-lapsed", "stop-notice"]) {
      expect(DossierStoppedPayload.safeParse({ ...payload, reason }).success).toBe(true);
    }
    expect(DossierStoppedPayload.safeParse({ ...payload, reason: "bored" }).success).toBe(false);
  });
});
