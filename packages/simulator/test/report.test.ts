import { describe, expect, it } from "vitest";
import { countsIn, type DossierSeen, loadProvince, planDay, unitsBy, verdictSeen } from "../src/index.js";
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

describe("what the statistics must show over a period, from what the driver saw", () => {
  const period = {
    start: Date.parse("2026-10-01T00:00:00+07:00"),
    end: Date.parse("2026-11-01T00:00:00+07:00"),
  };

  it("counts receptions in the period by channel, carry-overs, and decisions and stops by processing's instants", () => {
    const report = {
      dossiers: [
        // Received and resolved in the period, online with an electronic result.
        dossier({
          receivedAt: "2026-10-05T08:00:00+07:00",
          resolvedAt: "2026-10-06T09:00:00+07:00",
          resolvedAtShown: "2026-10-06T09:00:00+07:00",
          verdict: "early",
          electronicResult: true,
        }),
        // Received in September, resolved in October: carried over.
        dossier({
          channel: "direct",
          receivedAt: "2026-09-30T16:00:00+07:00",
          resolvedAt: "2026-10-01T09:00:00+07:00",
          verdict: "on_time",
        }),
        // Finished in September: not handled in October at all.
        dossier({
          receivedAt: "2026-09-10T08:00:00+07:00",
          resolvedAt: "2026-09-11T08:00:00+07:00",
          verdict: "early",
        }),
        // The driver sent it on 31 October; processing stamped it on 1 November: open at the end.
        dossier({
          channel: "postal",
          receivedAt: "2026-10-20T08:00:00+07:00",
          resolvedAt: "2026-10-31T23:59:59+07:00",
          resolvedAtShown: "2026-11-01T00:00:05+07:00",
          verdict: "late",
        }),
        dossier({
          receivedAt: "2026-10-07T08:00:00+07:00",
          stoppedAt: "2026-10-08T08:00:00+07:00",
          stopReason: "withdrawn",
        }),
        dossier({
          receivedAt: "2026-10-07T08:00:00+07:00",
          resolvedAt: "2026-10-09T08:00:00+07:00",
          verdict: null,
        }),
        // Received after the period: not counted.
        dossier({ receivedAt: "2026-11-02T08:00:00+07:00" }),
        dossier({ state: "refused" }),
      ],
    };
    expect(countsIn(report, period, "receiving")).toEqual({
      "H44.90": {
        receivedDirect: 0,
        receivedOnline: 3,
        receivedPostal: 1,
        carriedOver: 1,
        finished: 4,
        resolved: 3,
        stopped: 1,
        withdrawn: 1,
        resolvedEarly: 1,
        resolvedOnTime: 1,
        resolvedLate: 0,
        resolvedVerdictUnknown: 1,
        resolvedOnlineElectronic: 1,
        open: 1,
      },
    });
    expect(Object.keys(countsIn(report, period, "competent"))).toEqual(["H44.07"]);
  });

  it("judges a decision by the due instant shown, with the lateness of a supplement asked for after it", () => {
    const none = { asked: 0, afterDue: 0 };
    const due = "2026-10-07T10:00:00+07:00";
    expect(verdictSeen("2026-10-06T16:59:00+07:00", due, none)).toBe("early");
    expect(verdictSeen("2026-10-07T08:00:00+07:00", due, none)).toBe("on_time");
    expect(verdictSeen("2026-10-07T10:00:00+07:00", due, none)).toBe("on_time");
    expect(verdictSeen("2026-10-07T10:00:01+07:00", due, none)).toBe("late");
    // Midnight local time starts the due day, whatever the UTC date says.
    expect(verdictSeen("2026-10-06T23:59:00+07:00", due, none)).toBe("early");
    expect(verdictSeen("2026-10-07T00:00:00+07:00", due, none)).toBe("on_time");
    expect(verdictSeen("2026-10-01T08:00:00+07:00", due, { asked: 1, afterDue: 1 })).toBe("late");
    expect(verdictSeen("2026-10-01T08:00:00+07:00", due, { asked: 2, afterDue: 0 })).toBe("late");
    expect(verdictSeen("2026-10-01T08:00:00+07:00", null, none)).toBeNull();
  });
});
