import { describe, expect, it } from "vitest";
import { dateInWords, dayVi, instantVi, localDayOf, periodInWords } from "../src/vietnamese-dates.js";

describe("dates as Vietnamese documents write them (Asia/Ho_Chi_Minh)", () => {
  it("a day is dd/mm/yyyy", () => {
    expect(dayVi("2025-07-01")).toBe("01/07/2025");
  });

  it("an instant is dd/mm/yyyy HH:mm in Vietnam time, whatever offset it is written in", () => {
    expect(instantVi("2025-09-30T17:30:00Z")).toBe("01/10/2025 00:30");
    expect(instantVi("2025-09-30T23:59:00+07:00")).toBe("30/09/2025 23:59");
    expect(instantVi(new Date("2025-09-30T16:59:59.999Z"))).toBe("30/09/2025 23:59");
    expect(localDayOf("2025-09-30T17:00:00Z")).toBe("2025-10-01");
  });

  it("NĐ 30/2020, Phụ lục I, II.5.b: a day below 10 and months 1 and 2 take a leading 0, other months none", () => {
    expect(dateInWords("2026-08-05")).toBe("ngày 05 tháng 8 năm 2026");
    expect(dateInWords("2026-02-14")).toBe("ngày 14 tháng 02 năm 2026");
    expect(dateInWords("2026-01-31")).toBe("ngày 31 tháng 01 năm 2026");
    expect(dateInWords("2026-12-10")).toBe("ngày 10 tháng 12 năm 2026");
  });
});

describe("a report's period in words", () => {
  it("a whole month, a quarter, a half-year, a year", () => {
    expect(periodInWords({ from: "2025-07-01", to: "2025-07-31" })).toBe("Tháng 7 năm 2025");
    expect(periodInWords({ from: "2024-02-01", to: "2024-02-29" })).toBe("Tháng 2 năm 2024");
    expect(periodInWords({ from: "2025-07-01", to: "2025-09-30" })).toBe("Quý III năm 2025");
    expect(periodInWords({ from: "2025-01-01", to: "2025-03-31" })).toBe("Quý I năm 2025");
    expect(periodInWords({ from: "2025-01-01", to: "2025-06-30" })).toBe("6 tháng đầu năm 2025");
    expect(periodInWords({ from: "2025-07-01", to: "2025-12-31" })).toBe("6 tháng cuối năm 2025");
    expect(periodInWords({ from: "2025-01-01", to: "2025-12-31" })).toBe("Năm 2025");
  });

  it("one day, and any other span from day to day", () => {
    expect(periodInWords({ from: "2025-09-02", to: "2025-09-02" })).toBe("Ngày 02/09/2025");
    // a month to date, two months, months that are no quarter, across a new year
    expect(periodInWords({ from: "2025-08-01", to: "2025-08-20" })).toBe(
      "Từ ngày 01/08/2025 đến ngày 20/08/2025",
    );
    expect(periodInWords({ from: "2025-07-01", to: "2025-08-31" })).toBe(
      "Từ ngày 01/07/2025 đến ngày 31/08/2025",
    );
    expect(periodInWords({ from: "2025-02-01", to: "2025-04-30" })).toBe(
      "Từ ngày 01/02/2025 đến ngày 30/04/2025",
    );
    expect(periodInWords({ from: "2025-12-01", to: "2026-02-28" })).toBe(
      "Từ ngày 01/12/2025 đến ngày 28/02/2026",
    );
    expect(periodInWords({ from: "2025-07-01", to: "2025-09-29" })).toBe(
      "Từ ngày 01/07/2025 đến ngày 29/09/2025",
    );
  });
});
