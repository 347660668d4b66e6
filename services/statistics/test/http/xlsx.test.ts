import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inflateRawSync } from "node:zlib";
import { emptyCounts, figuresOf } from "@tthc/rates";
import { describe, expect, it } from "vitest";
import { toCsv, unitsTable } from "../../src/http/report-table.js";
import { crc32, toXlsx } from "../../src/http/xlsx.js";

/** Reads a zip's central directory and inflates every entry (checking each CRC). */
function unzip(buf: Buffer): Map<string, string> {
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out = new Map<string, string>();
  for (let i = 0; i < count; i++) {
    expect(buf.readUInt32LE(p)).toBe(0x02014b50);
    const crc = buf.readUInt32LE(p + 16);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString("utf8");
    expect(buf.readUInt32LE(local)).toBe(0x04034b50);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = inflateRawSync(buf.subarray(start, start + size));
    expect(crc32(data)).toBe(crc);
    out.set(name, data.toString("utf8"));
    p += 46 + nameLen;
  }
  return out;
}

// Phường Việt Trì, August 2026: 2,348 of 2,971 on time (79.03%, 15.81 points), all online.
const table = unitsTable(
  { from: "2026-08-01", to: "2026-08-31" },
  "competent",
  [
    {
      unitCode: "H44.100",
      unitName: "Phường Việt Trì",
      figures: figuresOf({
        ...emptyCounts(),
        receivedOnline: 2_971,
        finished: 2_971,
        resolved: 2_971,
        early: 2_000,
        onTime: 348,
        late: 623,
        resolvedEarly: 2_000,
        resolvedOnTime: 348,
        resolvedLate: 623,
        resolvedOnlineElectronic: 2_500,
      }),
    },
  ],
  figuresOf(emptyCounts()),
);

describe("exports", () => {
  it("crc32 is the zip CRC (IEEE 802.3)", () => {
    expect(crc32(Buffer.from("123456789"))).toBe(0xcbf43926);
  });

  it("an XLSX is a valid zip holding the workbook parts and the sheet with Vietnamese headers", () => {
    const file = toXlsx(table);
    const parts = unzip(file);
    expect([...parts.keys()].sort()).toEqual([
      "[Content_Types].xml",
      "_rels/.rels",
      "xl/_rels/workbook.xml.rels",
      "xl/styles.xml",
      "xl/workbook.xml",
      "xl/worksheets/sheet1.xml",
    ]);
    const sheet = parts.get("xl/worksheets/sheet1.xml") ?? "";
    expect(sheet).toContain('<t xml:space="preserve">Tỷ lệ đúng hạn theo QĐ 766 (%)</t>');
    expect(sheet).toContain('<t xml:space="preserve">Phường Việt Trì</t>');
    expect(sheet).toContain('<c r="V5" s="1" t="inlineStr">');
    // row 6 is Việt Trì: 2,971 handled (col K), 79.03% (col V), columns past Z named AA, AB
    expect(sheet).toContain('<c r="K6"><v>2971</v></c>');
    expect(sheet).toContain('<c r="V6"><v>79.03</v></c>');
    expect(sheet).toContain('<c r="AB6"><v>0</v></c>');
    // and the system's own unzip agrees that the archive is sound
    const dir = mkdtempSync(join(tmpdir(), "xlsx-"));
    writeFileSync(join(dir, "t.xlsx"), file);
    expect(execFileSync("unzip", ["-t", join(dir, "t.xlsx")]).toString()).toContain("No errors detected");
  });

  it("a CSV starts with a byte-order mark, the title, the period and the attribution, then the Vietnamese header row", () => {
    const lines = toCsv(table).split("\r\n");
    expect(lines[0]).toBe("\uFEFFBÁO CÁO TÌNH HÌNH GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH THEO ĐƠN VỊ");
    expect(lines[1]).toBe("Kỳ báo cáo: từ ngày 01/08/2026 đến ngày 31/08/2026");
    expect(lines[2]).toBe("Số liệu theo cơ quan có thẩm quyền giải quyết");
    expect(lines[4]?.startsWith("STT,Mã đơn vị,Tên đơn vị,Tổng số tiếp nhận,Trực tuyến")).toBe(true);
    // online 100%, stricter online 2,500 / 2,971 = 84.15%; online score 12 × 100%
    expect(lines[5]).toBe(
      "1,H44.100,Phường Việt Trì,2971,2971,0,0,100,84.15,0,2971,2971,2971,2000,348,623,0,0,0,0,0,79.03,79.03,15.81,12,0,0,0",
    );
  });
});
