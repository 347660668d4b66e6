import { describe, expect, it } from "vitest";
import { type DossierSeen, loadProvince, planDay, unitsBy } from "../src/index.js";
import { seenOf } from "../src/report.js";

const [script] = planDay(loadProvince(), { seed: 1, date: "2026-10-16", dossiers: 1, unitCodes: ["H44.90"] });
const dossier = (over: Partial<DossierSeen>): DossierSeen => ({
  ...seenOf({ ...script!, unitCode: "H44.90", competentUnitCode: "H44.07", channel: "online" }),
  ...over,
});

describe("what the driver counts per unit", () => {
  it("counts a dossier once its receipt came back, at the receiving centre or at the competent unit", () => {
    const report = {
      dossiers: [
        dossier({
          receivedAt: "2026-10-16T08:00:00+07:00",
          resolvedAt: "2026-10-16T10:00:00+07:00",
          outcome: "approved",
        }),
        dossier({ receivedAt: "2026-10-16T08:05:00+07:00", channel: "direct" }),
        dossier({ state: "submitted" }),
      ],
    };
    expect(unitsBy(report, "receiving")["H44.90"]).toMatchObject({
      received: { online: 1, direct: 1, postal: 0 },
      resolved: 1,
      approved: 1,
      open: 1,
    });
    expect(Object.keys(unitsBy(report, "competent"))).toEqual(["H44.07"]);
    expect(unitsBy(report, "competent")["H44.07"]?.received).toEqual({ online: 1, direct: 1, postal: 0 });
  });

  it("never counts a submission refused at reception as received, and tells a withdrawal from a stop", () => {
    const report = {
      dossiers: [
        dossier({ state: "refused" }),
        dossier({
          receivedAt: "2026-10-16T08:00:00+07:00",
          stoppedAt: "2026-10-17T08:00:00+07:00",
          stopReason: "withdrawn",
        }),
        dossier({
          receivedAt: "2026-10-16T08:00:00+07:00",
          stoppedAt: "2026-10-17T08:00:00+07:00",
          stopReason: "stop-notice",
        }),
      ],
    };
    expect(unitsBy(report, "receiving")["H44.90"]).toMatchObject({
      received: { online: 2, direct: 0, postal: 0 },
      refusedAtReception: 1,
      withdrawn: 1,
      stopped: 1,
      open: 0,
    });
  });
});
