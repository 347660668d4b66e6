import { mkdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { buildService, ManualClock, type RunningService } from "@tthc/service-kit";
import { createTestEnv, type TestEnv, tokenFor, waitUntil, withoutFakedTime } from "@tthc/testkit";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Config, service } from "../src/service.js";
import { newDossier, publish, received, resolved, unitRecord, verdict } from "./fixtures/events.js";

/** Screenshots are kept here (gitignored), for a person to look at after a run. */
const ARTIFACTS = resolve(import.meta.dirname, "../../../.run/artifacts");

let env: TestEnv;
let svc: RunningService<Config>;
let url: string;
let browser: Browser;
const pageErrors: string[] = [];

/**
 * The service's clock: Thu 20/08/2026 15:00, whatever the machine's. The page asks the service for
 * its periods, so it shows this month to date by the service's clock, not the browser's.
 */
const clock = new ManualClock("2026-08-20T15:00:00+07:00");
const at = (local: string) => `${local}:00+07:00`;
const FAR = at("2099-01-05T09:00");

const VT = "H44.100"; // Phường Việt Trì (ward)
const BN = "H44.108"; // Xã Bản Nguyên (commune)
const CT = "H44.07"; // Sở Công Thương (department)
const CENTRE = "H44.90"; // Trung tâm Phục vụ hành chính công tỉnh Phú Thọ

/** The province's whole catalogue of units, as intake seeds it: 161 units, 15 of them wards. */
function provinceUnits() {
  const file = resolve(import.meta.dirname, "../../intake/data/units.json");
  const { units } = JSON.parse(readFileSync(file, "utf8")) as {
    units: { code: string; name: string; level: string; parentCode: string | null; active?: boolean }[];
  };
  return units.filter((u) => u.active !== false);
}
const units = provinceUnits();
const wards = units.filter((u) => u.level === "ward").map((u) => u.code);

const lateReason = "Quá hạn ở bước thẩm định"; // the fixture's reason for a late verdict
const vtLate = newDossier(VT, "2026-08-10");

beforeAll(async () => {
  env = await createTestEnv("stats-dashboard");
  svc = await buildService(service, {
    env: env.serviceEnv({
      STATS_STREAM_DEBOUNCE_MS: "50",
      STATS_TARGETS: JSON.stringify({ H44: { onTimeRate766: 90, onlineRate: 80 } }),
    }),
    clock,
  });
  url = await svc.start();
  const vt1 = newDossier(VT, "2026-08-03");
  const vtOverdue = newDossier(VT, "2026-08-20");
  const bn1 = newDossier(BN, "2026-08-12");
  const bn2 = newDossier(BN, "2026-08-20");
  const ct1 = newDossier(CENTRE, "2026-08-14");
  const ct2 = newDossier(CT, "2026-08-15");
  const ct3 = newDossier(CT, "2026-08-16");
  const vtJuly = newDossier(VT, "2026-07-06");
  const bnJuly = newDossier(BN, "2026-07-08");
  await publish(env.bus, [
    ...units.map((u) => unitRecord(u.code, u.name, u.level as never, u.parentCode)),
    // August to date. Việt Trì: early, late (with its reason), and one open past its due instant.
    received(vt1, "online", at("2026-08-03T09:00"), at("2026-08-10T09:00")),
    resolved(vt1, at("2026-08-05T10:00")),
    verdict(vt1, 2, "early", at("2026-08-05T10:00"), at("2026-08-10T09:00")),
    received(vtLate, "online", at("2026-08-10T09:00"), at("2026-08-17T09:00")),
    resolved(vtLate, at("2026-08-18T10:00")),
    verdict(vtLate, 2, "late", at("2026-08-18T10:00"), at("2026-08-17T09:00"), { unitAtFaultCode: VT }),
    received(vtOverdue, "direct", at("2026-08-20T09:00"), at("2026-08-20T14:00")),
    // Bản Nguyên: early, and one open within its time; all online
    received(bn1, "online", at("2026-08-12T09:00"), at("2026-08-19T09:00")),
    resolved(bn1, at("2026-08-13T10:00")),
    verdict(bn1, 2, "early", at("2026-08-13T10:00"), at("2026-08-19T09:00")),
    received(bn2, "online", at("2026-08-20T08:00"), FAR),
    // Công Thương decides three, all open within their time: one received by the provincial centre
    received(ct1, "direct", at("2026-08-14T09:00"), FAR, { decidedBy: CT }),
    received(ct2, "postal", at("2026-08-15T09:00"), FAR),
    received(ct3, "direct", at("2026-08-16T09:00"), FAR),
    // July to the 20th, the period this month is compared with: Việt Trì late, Bản Nguyên on time
    received(vtJuly, "direct", at("2026-07-06T09:00"), at("2026-07-13T09:00")),
    resolved(vtJuly, at("2026-07-15T10:00")),
    verdict(vtJuly, 2, "late", at("2026-07-15T10:00"), at("2026-07-13T09:00")),
    received(bnJuly, "online", at("2026-07-08T09:00"), at("2026-07-15T09:00")),
    resolved(bnJuly, at("2026-07-14T10:00")),
    verdict(bnJuly, 2, "on_time", at("2026-07-14T10:00"), at("2026-07-15T09:00")),
  ]);
  await waitUntil(
    "scripted dossiers applied",
    async () => {
      const { rows } = await env.pool.query(
        `SELECT (SELECT count(*) FROM stat_dossiers WHERE received_at IS NOT NULL)::int AS received,
                (SELECT count(*) FROM stat_dossiers WHERE verdict IS NOT NULL)::int AS judged,
                (SELECT count(*) FROM stat_units)::int AS units`,
      );
      return rows[0].received === 10 && rows[0].judged === 5 && rows[0].units === units.length;
    },
    90_000,
  );
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    // The browser keeps the machine's real clock, as a user's would: under the clock matrix
    // (libfaketime, preloaded into every process the tests start) Chromium never finishes a load.
    // The page reads the period from the service's clock, never from the browser's.
    env: withoutFakedTime(process.env),
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
  mkdirSync(ARTIFACTS, { recursive: true });
}, 180_000);

/** A script error on the page fails the test that met it, by name, rather than as a timeout. */
afterEach(() => {
  const errors = pageErrors.splice(0);
  expect(errors, "errors on the page").toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await svc?.stop();
  await env?.cleanup();
});

async function open(width: number, height: number, path = "/"): Promise<Page> {
  const page = await browser.newPage({
    viewport: { width, height },
    acceptDownloads: true,
    ...(width < 600 ? { isMobile: true, hasTouch: true } : {}),
  });
  page.on("pageerror", (err) => pageErrors.push(err.message));
  await page.goto(`${url}${path}`);
  return page;
}

const card = (page: Page, id: string) => page.locator(`[data-testid="${id}"] .v`);
const rankingCodes = (page: Page) =>
  page
    .locator("#ranking tbody tr:not(.hidden)")
    .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-code")));
const rankOf = (page: Page, code: string) =>
  page.locator(`#ranking tr[data-code="${code}"] td[data-col="rank"]`).textContent();
const crumbs = (page: Page) => page.locator('[data-testid="crumb"]').allTextContents();
/** Until the view in the address bar is loaded and drawn (the page marks its loads on <body>). */
const settled = (page: Page) => page.locator("body:not([data-loading])").waitFor({ timeout: 30_000 });

/**
 * Every element the page lays out, checked against the viewport: none may reach past its right
 * edge or start left of it, and the page itself must not scroll sideways. SVG children are left
 * to their <svg>, which clips them.
 */
async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(OVERFLOWING);
}
const OVERFLOWING = `(() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  if (document.documentElement.scrollWidth > width) out.push("page scrolls to " + document.documentElement.scrollWidth + "px");
  for (const el of document.querySelectorAll("body *")) {
    if (el.closest("svg") && el.tagName.toLowerCase() !== "svg") continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.right > width + 0.5 || r.left < -0.5)
      out.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + "." + el.className + " [" + Math.round(r.left) + ", " + Math.round(r.right) + "]");
  }
  return out;
})()`;

describe("the leaders' dashboard in headless Chromium", () => {
  it("at 1440 px: the province this month against last month, the units ranked on the progress score, no column clipped", async () => {
    const page = await open(1440, 1000);
    await expect.poll(() => card(page, "received").textContent(), { timeout: 30_000 }).toBe("8");
    // this month to date by the service's clock, compared with July to the 20th
    expect(await page.locator("#from").inputValue()).toBe("2026-08-01");
    expect(await page.locator("#to").inputValue()).toBe("2026-08-20");
    expect(await page.locator('[data-preset="month"]').getAttribute("aria-pressed")).toBe("true");
    expect(await page.locator('[data-testid="period-line"]').textContent()).toBe(
      "Kỳ: 01/08/2026 – 20/08/2026; so với kỳ trước: 01/07/2026 – 20/07/2026",
    );
    // 766: 6 on time of 8 handled (75%) against 1 of 2 in July (50%): up 25 points
    expect(await card(page, "rate-766").textContent()).toBe("75%");
    const rate = page.locator('[data-testid="rate-766"]');
    expect(await rate.locator(".s").textContent()).toBe("6 trên 8 hồ sơ phải giải quyết · 15 điểm");
    expect(await rate.locator(".d").textContent()).toBe("▲ 25 điểm %");
    // finished-only: 2 early of 3 resolved; online 4 of 8
    expect(await card(page, "rate-finished").textContent()).toBe("66,67%");
    expect(await card(page, "online-rate").textContent()).toBe("50%");
    expect(await card(page, "overdue").textContent()).toBe("1");

    // The ranking on the progress score (20 × the 766 rate), both rates with their counts
    expect(await page.locator('[data-testid="ranking-title"]').textContent()).toBe(
      "Điểm tiến độ giải quyết theo Bộ chỉ số QĐ 766: 20 × tỷ lệ đúng hạn theo QĐ 766, trên 20/100 điểm.",
    );
    expect((await rankingCodes(page)).slice(0, 3)).toEqual([CT, BN, VT]);
    // the first 25 of the 160 units, then all of them
    expect((await rankingCodes(page)).length).toBe(25);
    await page.locator('[data-testid="all-units"]').click();
    expect((await rankingCodes(page)).length).toBe(units.length - 1);
    const row = (code: string) => page.locator(`#ranking tr[data-code="${code}"] td`);
    expect(await rankOf(page, CT)).toBe("1");
    expect(await rankOf(page, BN)).toBe("2");
    expect(await rankOf(page, VT)).toBe("3");
    expect(await rankOf(page, CENTRE)).toBe("chưa xếp hạng");
    const vt = await row(VT).allTextContents();
    expect(vt[2]).toBe("6,67▲ 6,67"); // progress score 20 × 1/3, from 0 in July
    expect(vt[3]).toBe("33,33%1/3▲ 33,33 điểm %"); // the 766 rate, N / H(P), against July's 0 of 1
    expect(vt[4]).toBe("50%1/2▲ 50 điểm %"); // finished-only: 1 early of 2 resolved
    expect(vt[5]).toBe("66,67%2/3▲ 66,67 điểm %"); // online, against July's 0 of 1
    expect(vt[8]).toContain("2"); // second in July, behind Bản Nguyên
    // the level breakdown: the department's 3, the ward's 3, the commune's 2
    const levels = await page
      .locator("#levels tbody tr")
      .evaluateAll((rows) => rows.map((r) => [r.getAttribute("data-code"), r.children[2]?.textContent]));
    expect(levels).toEqual([
      ["department", "3▲ 3"],
      ["provincial-centre", "0="],
      ["ward", "3▲ 2"],
      ["commune", "2▲ 1"],
    ]);
    // the charts: units compared against the province's target line, the trend with its targets
    expect(await page.locator("#chart-compare g[data-code]").count()).toBe(3);
    expect(await page.locator("#chart-compare line.target").count()).toBe(1);
    await expect.poll(() => page.locator("#chart-trend line.target").count(), { timeout: 30_000 }).toBe(2);
    expect(await page.locator('[data-testid="trend-note"]').textContent()).toBe(
      "Mục tiêu Đúng hạn QĐ 766: 90% · Mục tiêu Trực tuyến: 80%",
    );
    // a point per day with a rate: 14 days with dossiers in hand, 7 with dossiers received
    await expect.poll(() => page.locator("#chart-trend circle").count(), { timeout: 30_000 }).toBe(21);

    // Rank by the partial score instead: the online rate puts Bản Nguyên first
    await page.locator("#rank-by").selectOption("partial");
    await expect
      .poll(async () => (await rankingCodes(page)).slice(0, 3), { timeout: 30_000 })
      .toEqual([BN, CT, VT]);
    await page.locator("#rank-by").selectOption("progress");
    await expect.poll(async () => (await rankingCodes(page))[0], { timeout: 30_000 }).toBe(CT);

    // 1440 px: every column in view, nothing past the edge
    const table = await page
      .locator("#ranking")
      .evaluate((t) => ({ table: t.scrollWidth, box: t.parentElement?.clientWidth ?? 0 }));
    expect(table.table).toBeLessThanOrEqual(table.box);
    expect(await overflowing(page)).toEqual([]);
    // the top of the page as a leader first sees it, and the whole of it with all 160 units
    await page.evaluate("window.scrollTo(0, 0)");
    await page.screenshot({ path: resolve(ARTIFACTS, "statistics-dashboard-1440.png") });
    await page.screenshot({ path: resolve(ARTIFACTS, "statistics-dashboard-1440-full.png"), fullPage: true });
    await page
      .locator("#charts-section")
      .screenshot({ path: resolve(ARTIFACTS, "statistics-dashboard-charts-1440.png") });
    await page.close();
  });

  it("drills down province → level → unit → procedure → the dossiers behind a figure, with the verdict's reason", async () => {
    const page = await open(1440, 1000);
    await expect.poll(() => card(page, "received").textContent(), { timeout: 30_000 }).toBe("8");
    await page.locator('#levels tr[data-code="ward"] a').click();
    await expect.poll(() => crumbs(page), { timeout: 30_000 }).toEqual(["Tỉnh Phú Thọ", "Phường"]);
    await settled(page);
    await expect.poll(() => card(page, "received").textContent(), { timeout: 30_000 }).toBe("3");
    expect(new Set(await rankingCodes(page))).toEqual(new Set(wards));
    expect(await rankOf(page, VT)).toBe("1");

    await page.locator(`#ranking tr[data-code="${VT}"] a`).click();
    await expect
      .poll(() => crumbs(page), { timeout: 30_000 })
      .toEqual(["Tỉnh Phú Thọ", "Phường", "Phường Việt Trì"]);
    await settled(page);
    // The trail moves at the click; the unit's procedures arrive with their own answer.
    await expect
      .poll(
        () =>
          page.locator("#procedures tbody tr").evaluateAll((r) => r.map((x) => x.getAttribute("data-code"))),
        { timeout: 30_000 },
      )
      .toEqual(["1.001234"]);
    await page.locator('#procedures tr[data-code="1.001234"] a').click();
    await expect
      .poll(() => crumbs(page), { timeout: 30_000 })
      .toEqual(["Tỉnh Phú Thọ", "Phường", "Phường Việt Trì", "Đăng ký khai sinh"]);
    await settled(page);
    const late = page.locator('#figures tr[data-figure="late"] a');
    expect(await late.textContent()).toBe("1");
    await late.click();
    // the list of dossiers is for staff: a commune's reception staff may not see the ward's
    await expect.poll(() => page.locator("#signin").isVisible(), { timeout: 30_000 }).toBe(true);
    await page.locator("#token").fill(tokenFor(BN, "reception").authorization.slice("Bearer ".length));
    await page.locator("#signin button").click();
    await expect
      .poll(() => page.locator("#dossiers-error").textContent(), { timeout: 30_000 })
      .toBe("Mã truy cập này không được xem hồ sơ của đơn vị đang chọn.");
    expect(await page.locator("#dossiers tbody tr").count()).toBe(0);
    // the ward's leader may
    await page.evaluate(() => sessionStorage.removeItem("token"));
    await page.reload();
    await expect.poll(() => page.locator("#signin").isVisible(), { timeout: 30_000 }).toBe(true);
    await page.locator("#token").fill(tokenFor(VT, "leader").authorization.slice("Bearer ".length));
    await page.locator("#signin button").click();
    const dossier = page.locator(`#dossiers tr[data-dossier="${vtLate.dossierCode}"]`);
    await expect.poll(() => dossier.count(), { timeout: 30_000 }).toBe(1);
    expect(await page.locator("#dossiers tbody tr").count()).toBe(1);
    expect(await dossier.locator('[data-col="verdict"]').textContent()).toBe("Quá hạn");
    expect(await dossier.locator('[data-col="reason"]').textContent()).toBe(lateReason);
    expect(await page.locator('[data-testid="dossiers-title"]').textContent()).toBe(
      "Hồ sơ: Giải quyết quá hạn",
    );
    expect(await overflowing(page)).toEqual([]);
    await page.screenshot({
      path: resolve(ARTIFACTS, "statistics-dashboard-dossiers-1440.png"),
      fullPage: true,
    });

    // back up the trail with the browser's own back button
    await page.goBack();
    await expect
      .poll(() => crumbs(page), { timeout: 30_000 })
      .toEqual(["Tỉnh Phú Thọ", "Phường", "Phường Việt Trì", "Đăng ký khai sinh"]);
    await settled(page);
    await page.close();
  });

  it("an export link downloads the view on screen: the wards of this month", async () => {
    const page = await open(1440, 1000, "/?level=ward");
    await expect.poll(() => card(page, "received").textContent(), { timeout: 30_000 }).toBe("3");
    const link = page.locator('[data-testid="export-units-csv"]');
    const href = new URL((await link.getAttribute("href")) ?? "", url);
    expect(Object.fromEntries(href.searchParams)).toEqual({
      from: "2026-08-01",
      to: "2026-08-20",
      attribution: "competent",
      level: "ward",
    });
    for (const id of ["units-xlsx", "ranking-csv", "ranking-xlsx", "procedures-csv", "procedures-xlsx"])
      expect(await page.locator(`[data-testid="export-${id}"]`).getAttribute("href")).toContain(
        "from=2026-08-01&to=2026-08-20&attribution=competent&level=ward",
      );
    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    const csv = readFileSync((await download.path()) ?? "", "utf8");
    // the same units as the table on screen, and no other
    const inFile = new Set(csv.match(/H44\.\d+/g));
    expect(inFile).toEqual(new Set(await rankingCodes(page)));
    expect(csv).toContain("Phường Việt Trì");
    expect(csv).not.toContain("Xã Bản Nguyên");
    await page.close();
  });

  it("finds one of 160 units by its name without diacritics, and follows the attribution", async () => {
    const page = await open(1440, 1000);
    await expect.poll(() => card(page, "received").textContent(), { timeout: 30_000 }).toBe("8");
    await page.locator("#search").fill("ban nguyen");
    expect(await rankingCodes(page)).toEqual([BN]);
    const hit = page.locator(`#search-results a[data-code="${BN}"]`);
    await expect.poll(() => hit.isVisible(), { timeout: 30_000 }).toBe(true);
    await hit.click();
    await expect
      .poll(() => crumbs(page), { timeout: 30_000 })
      .toEqual(["Tỉnh Phú Thọ", "Xã", "Xã Bản Nguyên"]);
    await settled(page);
    expect(await card(page, "received").textContent()).toBe("2");

    // by receiving centre the provincial centre has the dossier Công Thương decides
    await page.goto(`${url}/`);
    await expect.poll(() => rankOf(page, CENTRE), { timeout: 30_000 }).toBe("chưa xếp hạng");
    await page.locator("#attribution").selectOption("receiving");
    await expect.poll(() => rankOf(page, CENTRE), { timeout: 30_000 }).not.toBe("chưa xếp hạng");
    expect(
      await page.locator(`#ranking tr[data-code="${CENTRE}"] td[data-col="rate766"] .n`).textContent(),
    ).toBe("1/1");
    expect(await page.locator(`#ranking tr[data-code="${CT}"] td[data-col="rate766"] .n`).textContent()).toBe(
      "2/2",
    );
    await page.close();
  });

  it("the year to date against last year's, at the presets", async () => {
    const page = await open(1440, 1000);
    await expect.poll(() => card(page, "received").textContent(), { timeout: 30_000 }).toBe("8");
    await page.locator('[data-preset="year"]').click();
    await expect.poll(() => card(page, "received").textContent(), { timeout: 30_000 }).toBe("10");
    expect(await page.locator('[data-testid="period-line"]').textContent()).toBe(
      "Kỳ: 01/01/2026 – 20/08/2026; so với kỳ trước: 01/01/2025 – 20/08/2025",
    );
    expect(new URL(page.url()).searchParams.get("preset")).toBe("year");
    // by month past 62 days, January to August: July and August have rates, two lines each
    await expect.poll(() => page.locator("#chart-trend circle").count(), { timeout: 30_000 }).toBe(4);
    // in English, the same figures
    await page.locator("#lang").click();
    expect(await page.locator('[data-testid="rate-766"] .k').textContent()).toBe(
      "On-time rate (766 definition)",
    );
    expect(await page.locator('[data-testid="period-line"]').textContent()).toBe(
      "Period: 01/01/2026 – 20/08/2026; compared with 01/01/2025 – 20/08/2025",
    );
    expect(await page.locator('[data-testid="ranking-title"]').textContent()).toBe(
      "QĐ 766 progress score: 20 × the 766 on-time rate, 20 of 100 points",
    );
    await page.locator("#lang").click();
    expect(await page.locator('[data-testid="rate-766"] .k').textContent()).toBe(
      "Tỷ lệ đúng hạn theo QĐ 766",
    );
    await page.locator('[data-preset="today"]').click();
    await expect.poll(() => card(page, "received").textContent(), { timeout: 30_000 }).toBe("2");
    expect(await page.locator('[data-testid="period-line"]').textContent()).toBe(
      "Kỳ: 20/08/2026; so với kỳ trước: 19/08/2026",
    );
    await page.close();
  });

  it("at 390 px: cards, nothing wider than the screen; and a new dossier shows live", async () => {
    const page = await open(390, 844);
    await expect.poll(() => card(page, "received").textContent(), { timeout: 30_000 }).toBe("8");
    await expect
      .poll(() => page.locator('[data-testid="live"]').getAttribute("class"), { timeout: 30_000 })
      .toBe("on");
    // every row of the ranking is a card, each figure with its heading (read in one step: a live
    // update redraws the table)
    const first = page.locator(`#ranking tr[data-code="${CT}"]`);
    expect(
      await page.evaluate(
        `getComputedStyle(document.querySelector('#ranking tr[data-code="${CT}"]')).display`,
      ),
    ).toBe("block");
    expect(await page.locator("#ranking thead").isVisible()).toBe(false);
    expect(await first.locator('td[data-col="rate766"]').getAttribute("data-label")).toBe("Đúng hạn QĐ 766");
    expect(await first.locator('td[data-col="rate766"]').isVisible()).toBe(true);
    expect(await overflowing(page)).toEqual([]);
    await page.screenshot({ path: resolve(ARTIFACTS, "statistics-dashboard-390.png") });
    await page.evaluate(`document.querySelector("#ranking-section").scrollIntoView()`);
    await page.screenshot({ path: resolve(ARTIFACTS, "statistics-dashboard-390-ranking.png") });

    const extra = newDossier(VT, "2026-08-20");
    await publish(env.bus, [received(extra, "online", at("2026-08-20T14:30"), FAR)]);
    await expect.poll(() => card(page, "received").textContent(), { timeout: 30_000 }).toBe("9");
    await expect
      .poll(() => page.locator(`#ranking tr[data-code="${VT}"] td[data-col="rate766"] .n`).textContent(), {
        timeout: 30_000,
      })
      .toBe("2/4");
    await page.close();
  });
});
