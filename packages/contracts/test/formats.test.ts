import { describe, expect, it } from "vitest";
import { Channel, nationalChannelCode } from "../src/channels.js";
import { formatDossierCode, formatInstant, Instant, ProcedureCode, UnitCode } from "../src/formats.js";

describe("formats", () => {
  it("an instant has an offset: Vietnam time or UTC", () => {
    expect(Instant.safeParse("2026-02-10T09:00:00+07:00").success).toBe(true);
    expect(Instant.safeParse("2026-02-10T02:00:00.123Z").success).toBe(true);
    expect(Instant.safeParse("2026-02-10T09:00:00").success).toBe(false);
    expect(Instant.safeParse("2026-02-10").success).toBe(false);
    expect(Instant.safeParse("10/02/2026 09:00").success).toBe(false);
  });

  it("formats a moment in Vietnam time (UTC+7 all year)", () => {
    expect(formatInstant(new Date("2026-02-10T02:00:00Z"))).toBe("2026-02-10T09:00:00.000+07:00");
    expect(formatInstant(new Date("2026-12-31T17:30:00Z"))).toBe("2027-01-01T00:30:00.000+07:00");
    expect(Instant.safeParse(formatInstant(new Date())).success).toBe(true);
  });

  it("a dossier code is <unit identifier>-<YYMMDD>-<NNNN>, dated in Vietnam time", () => {
    // 23:30 UTC on 9 Feb is 06:30 on 10 Feb in Hà Nội.
    expect(formatDossierCode("000.00.01.H22", new Date("2026-02-09T23:30:00Z"), 7)).toBe(
      "000.00.01.H22-260210-0007",
    );
    expect(() => formatDossierCode("000.00.01.H22", new Date(), 0)).toThrow(RangeError);
  });

  it("procedure and unit codes follow the national portal", () => {
    expect(ProcedureCode.safeParse("1.001234").success).toBe(true);
    expect(ProcedureCode.safeParse("2.000815").success).toBe(true);
    expect(ProcedureCode.safeParse("1.1234").success).toBe(false);
    expect(UnitCode.safeParse("H44.07").success).toBe(true);
    expect(UnitCode.safeParse("H4").success).toBe(false);
  });

  it("channels are KenhThucHien 1 in person, 2 online, 3 postal", () => {
    expect(Channel.options.map((c) => nationalChannelCode[c])).toEqual([1, 2, 3]);
  });
});
