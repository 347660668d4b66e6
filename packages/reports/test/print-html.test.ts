import { describe, expect, it } from "vitest";
import { toPrintHtml } from "../src/print-html.js";
import { sampleReport } from "./sample.js";

describe("a report as a print-ready page", () => {
  const html = toPrintHtml(sampleReport());

  it("prints on A4 landscape with the header rows repeated on every page, no row split", () => {
    expect(html).toContain("@page { size: A4 landscape;");
    expect(html).toContain("thead { display: table-header-group; }");
    expect(html).toContain("break-inside: avoid");
    expect(html).not.toContain("<script");
  });

  it("has the heading, the title, the period, two header rows, the total in bold and the signatures", () => {
    expect(html).toContain("<div>ỦY BAN NHÂN DÂN TỈNH PHÚ THỌ</div>");
    expect(html).toContain("<b>SỞ TƯ PHÁP</b>");
    expect(html).toContain("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
    expect(html).toContain("<h1>BÁO CÁO THỬ</h1>");
    expect(html).toContain('<p class="subtitle period">Kỳ báo cáo: Quý III năm 2025</p>');
    expect(html).toContain(
      '<thead><tr><th rowspan="2">STT</th><th rowspan="2">Mã đơn vị</th><th rowspan="2">Tên đơn vị</th><th colspan="2">Số hồ sơ tiếp nhận</th>',
    );
    expect(html).toContain("<tr><th>Tổng số</th><th>Trực tuyến</th><th>Theo QĐ 766</th></tr></thead>");
    expect(html).toContain(
      '<tr class="total"><td class="c"></td><td></td><td>Tổng cộng</td><td class="n">8.916</td>',
    );
    expect(html).toContain("NGƯỜI LẬP BIỂU");
    expect(html).toContain("THỦ TRƯỞNG ĐƠN VỊ");
  });

  it("writes numbers, rates and dates the Vietnamese way, codes by their names, every value escaped", () => {
    expect(html).toContain(
      '<tr><td class="c">1</td><td>H44.100</td><td>Phường &#34;A&#34;, &#60;B&#62; &#38; C</td><td class="n">2.971</td><td class="n">1.234</td><td class="n">79,03%</td><td class="n">15,81</td><td>Đang xử lý</td><td class="c">01/10/2025 00:30</td><td class="c">02/09/2025</td><td class="c">Có</td></tr>',
    );
    // a rate over nothing is left blank
    expect(html).toContain('<td class="n">1.234</td><td class="n"></td>');
  });
});
