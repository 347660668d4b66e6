import { emptyCounts, figuresOf, RANKING_TITLE } from "@tthc/rates";
import { describe, expect, it } from "vitest";
import { rankingTable, toCsv } from "../../src/http/report-table.js";

describe("the ranking report", () => {
  it("is titled a partial score of the QĐ 766 index, out of 32, and labels its attribution", () => {
    const t = rankingTable({ from: "2026-08-01", to: "2026-08-31" }, "receiving", {
      ranking: [
        {
          rank: 1,
          partialScore: 32,
          unitCode: "H44.08",
          unitName: "Sở Tư pháp",
          figures: figuresOf({ ...emptyCounts(), receivedOnline: 1, openWithin: 1 }),
        },
      ],
    });
    expect(t.title[0]).toContain("ĐIỂM MỘT PHẦN");
    expect(t.title[0]).toContain("32/100");
    expect(t.title).toContain(RANKING_TITLE);
    expect(t.title).toContain("Số liệu theo đơn vị tiếp nhận");
    expect(t.headers).toContain("Điểm một phần (/32)");
    expect(t.headers).toContain("Điểm dịch vụ công trực tuyến (/12)");
    expect(toCsv(t)).toContain("1,H44.08,Sở Tư pháp,32,");
  });
});
