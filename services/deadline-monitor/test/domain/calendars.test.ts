import { CALENDAR_2026_V1, CALENDAR_2026_V2 } from "@tthc/calendar";
import type { CatalogRecord } from "@tthc/contracts";
import { describe, expect, it } from "vitest";
import { MonitorCalendars } from "../../src/domain/calendars.js";

const updatedAt = "2026-11-01T00:00:00+07:00";

/** The 2026 calendar as intake publishes it: a version 3 that makes 24 November a day off, v1 and v2 beside it. */
const calendarRecord: CatalogRecord = {
  type: "calendar",
  version: 1,
  key: "calendar:2026",
  revision: 3,
  updatedAt,
  data: {
    year: 2026,
    version: 3,
    effectiveFrom: "2026-11-10T00:00:00+07:00",
    source: "test decision",
    daysOff: CALENDAR_2026_V2.daysOff.map((d) => ({ ...d })),
    workingDays: CALENDAR_2026_V2.makeUpWorkingDays.map((d) => ({ ...d })),
    basis: "decreed",
    cultureDay24Nov: true,
    sources: [{ reference: "test decision", subject: "24 November off" }],
    previousVersions: [CALENDAR_2026_V1, CALENDAR_2026_V2],
  },
};

const saturdayUnit: CatalogRecord = {
  type: "unit",
  version: 1,
  key: "unit:T.1",
  revision: 1,
  updatedAt,
  data: {
    code: "T.1",
    name: "Phường Thử",
    level: "ward",
    parentCode: null,
    electronicId: "000.00.01.T01",
    workingSessions: {
      makeUpDaysAreWorking: true,
      sessions: [
        { weekdays: [1, 2, 3, 4, 5, 6], from: "07:30", to: "11:30" },
        { weekdays: [1, 2, 3, 4, 5], from: "13:30", to: "17:00" },
      ],
    },
    workingSessionsSource: "Test decision: the ward's handling staff work on Saturday mornings",
    active: true,
  },
};

describe("the monitor's calendars, read from the catalogue", () => {
  const calendars = new MonitorCalendars([calendarRecord, saturdayUnit]);

  it("judge with the version in force at the instant, not only the record's latest", () => {
    expect(calendars.at("2026-11-01T00:00:00+07:00", "T.1").yearRecord(2026).version).toBe(2);
    expect(calendars.at("2026-11-20T00:00:00+07:00", "T.1").yearRecord(2026).version).toBe(3);
    // The New Year swap of version 2: Fri 02/01/2026 is off only from 25/12/2025.
    expect(calendars.at("2025-12-20T00:00:00+07:00", "X").day("2026-01-02").working).toBe(true);
    expect(calendars.at("2025-12-26T00:00:00+07:00", "X").day("2026-01-02").working).toBe(false);
  });

  it("keep 24 November off when the catalogue's calendar says so", () => {
    expect(calendars.at("2026-11-20T00:00:00+07:00", "T.1").day("2026-11-24").working).toBe(false);
    expect(calendars.at("2026-11-01T00:00:00+07:00", "T.1").day("2026-11-24").working).toBe(true);
  });

  it("give a unit its own sessions, and a unit the catalogue has not described the default", () => {
    expect(calendars.at("2026-11-20T00:00:00+07:00", "T.1").unitCode).toBe("T.1");
    expect(calendars.at("2026-11-20T00:00:00+07:00", "unknown").unitCode).toBe("default");
    expect(calendars.at("2026-11-20T00:00:00+07:00", "T.1").day("2026-11-21").working).toBe(true);
    expect(calendars.at("2026-11-20T00:00:00+07:00", "unknown").day("2026-11-21").working).toBe(false);
  });
});
