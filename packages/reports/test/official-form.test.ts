import { describe, expect, it } from "vitest";
import { headingHtml, issuingChain, officialHeading, placeOf, signaturesHtml } from "../src/official-form.js";

const province = { name: "Tỉnh Phú Thọ", level: "province" };
const department = { name: "Sở Tư pháp", level: "department" };
const centre = { name: "Trung tâm Phục vụ hành chính công tỉnh Phú Thọ", level: "provincial-centre" };
const ward = { name: "Phường Việt Trì", level: "ward" };
const commune = { name: "Xã Bản Nguyên", level: "commune" };

describe("the heading of a document (NĐ 30/2020/NĐ-CP, Phụ lục I)", () => {
  it("the province issues as its People's Committee, at the province's name, with no body above", () => {
    expect(officialHeading([province], "2025-10-05")).toEqual({
      parent: null,
      issuer: "ỦY BAN NHÂN DÂN TỈNH PHÚ THỌ",
      placeAndDate: "Phú Thọ, ngày 05 tháng 10 năm 2025",
    });
  });

  it("a department and the provincial centre issue under the province's People's Committee, at the province's name", () => {
    expect(officialHeading([department, province], "2026-02-09")).toEqual({
      parent: "ỦY BAN NHÂN DÂN TỈNH PHÚ THỌ",
      issuer: "SỞ TƯ PHÁP",
      placeAndDate: "Phú Thọ, ngày 09 tháng 02 năm 2026",
    });
    expect(officialHeading([centre, province], "2026-08-20").issuer).toBe(
      "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH PHÚ THỌ",
    );
  });

  it("a ward or commune issues as its own People's Committee, at its own name", () => {
    expect(officialHeading([ward, province], "2026-08-20")).toEqual({
      parent: null,
      issuer: "ỦY BAN NHÂN DÂN PHƯỜNG VIỆT TRÌ",
      placeAndDate: "Việt Trì, ngày 20 tháng 8 năm 2026",
    });
    expect(placeOf([commune, province])).toBe("Bản Nguyên");
  });

  it("a unit the catalogue does not place, and a document that dates itself elsewhere", () => {
    expect(officialHeading([{ name: "H44.999", level: "unknown" }], "2026-08-20")).toEqual({
      parent: null,
      issuer: "H44.999",
      placeAndDate: "Ngày 20 tháng 8 năm 2026",
    });
    expect(officialHeading([department, province], null).placeAndDate).toBeNull();
  });

  it("as HTML: the issuer top left, the national name and motto top right, every name escaped", () => {
    const html = headingHtml(
      officialHeading([{ name: "Sở <A&B>", level: "department" }, province], "2026-08-20"),
    );
    expect(html).toContain("<b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b>");
    expect(html).toContain("<b>Độc lập - Tự do - Hạnh phúc</b>");
    expect(html).toContain("<b>SỞ &#60;A&#38;B&#62;</b>");
    expect(html.indexOf("SỞ")).toBeLessThan(html.indexOf("CỘNG HÒA"));
    expect(html).toContain("Phú Thọ, ngày 20 tháng 8 năm 2026");
    expect(signaturesHtml([{ title: "NGƯỜI LẬP BIỂU", note: "(Ký, ghi rõ họ tên)" }])).toContain(
      "<b>NGƯỜI LẬP BIỂU</b>",
    );
  });
});

describe("who issues a document on a unit, from the catalogue", () => {
  const catalog = [
    { code: "H44", name: "Tỉnh Phú Thọ", level: "province", parentCode: null },
    { code: "H44.08", name: "Sở Tư pháp", level: "department", parentCode: "H44" },
    { code: "H44.100", name: "Phường Việt Trì", level: "ward", parentCode: "H44" },
  ];

  it("the unit and those above it, nearest first; the province when no unit is named", () => {
    expect(issuingChain(catalog, "H44.08")).toEqual([department, province]);
    expect(issuingChain(catalog, undefined)).toEqual([province]);
  });

  it("a unit the catalogue does not hold issues under its code; an empty catalogue names no one", () => {
    expect(issuingChain(catalog, "H44.999")).toEqual([{ name: "H44.999", level: "unknown" }]);
    expect(issuingChain([], undefined)).toEqual([]);
  });
});
