import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { buildService, ManualClock, type RunningService } from "@tthc/service-kit";
import { createTestEnv, type TestEnv, tokenFor, waitUntil } from "@tthc/testkit";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Config, service } from "../src/service.js";
import { newDossier, publish, received, resolved, verdict } from "./fixtures/events.js";
import { CT, catalog, TTPV } from "./fixtures/script.js";

const ARTIFACTS = resolve(import.meta.dirname, "../../../test-artifacts");

let env: TestEnv;
let svc: RunningService<Config>;
let url: string;
let browser: Browser;

/**
 * The service's clock: Thu 20/08/2026 15:00, whatever the machine's. The page asks for no period,
 * so it shows the month to date by the service's clock, not the browser's.
 */
const clock = new ManualClock("2026-08-20T15:00:00+07:00");
const today = "2026-08-20";
const earlierAt = "2026-08-20T09:00:00+07:00";
const overdueAt = "2026-08-20T14:00:00+07:00";

beforeAll(async () => {
  env = await createTestEnv("stats-dashboard");
  svc = await buildService(service, { env: env.serviceEnv({ STATS_STREAM_DEBOUNCE_MS: "50" }), clock });
  url = await svc.start();
  const vt = newDossier("H44.100", today);
  const vt2 = newDossier("H44.100", today);
  const bn = newDossier("H44.108", today);
  const bn2 = newDossier("H44.108", today);
  const ct = newDossier("H44.07", today);
  const tt = newDossier(TTPV, today);
  await publish(env.bus, [
    ...catalog(),
    received(vt, "online", earlierAt, "2099-01-05T09:00:00+07:00"),
    received(vt2, "direct", earlierAt, overdueAt),
    received(bn, "online", earlierAt, "2099-01-05T09:00:00+07:00"),
    resolved(bn, earlierAt),
    verdict(bn, 2, "early", earlierAt, "2099-01-05T09:00:00+07:00"),
    received(bn2, "online", earlierAt, "2099-01-05T09:00:00+07:00"),
    received(ct, "postal", earlierAt, "2099-01-05T09:00:00+07:00"),
    // received by the provincial centre for Sở Công Thương, which decides it
    received(tt, "direct", earlierAt, "2099-01-05T09:00:00+07:00", { decidedBy: CT }),
  ]);
  await waitUntil(
    "scripted dossiers applied",
    async () =>
      (await env.pool.query("SELECT count(*)::int AS n FROM stat_dossiers WHERE received_at IS NOT NULL"))
        .rows[0].n === 6,
    60_000,
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
});

/** The environment without libfaketime's preload and settings (infra/stack/clock-matrix.ts). */
function withoutFakedTime(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined || k.startsWith("FAKETIME")) continue;
    if (k === "LD_PRELOAD") {
      const rest = v.split(/[: ]/).filter((lib) => lib !== "" && !lib.includes("faketime"));
      if (rest.length > 0) out[k] = rest.join(":");
      continue;
    }
    out[k] = v;
  }
  return out;
}

afterAll(async () => {
  await browser?.close();
  await svc?.stop();
  await env?.cleanup();
});

describe("the dashboard in headless Chromium", () => {
  it("shows the figures, sorts the units, and shows a new dossier live", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
    await page.goto(`${url}/`);
    const card = (id: string) => page.locator(`[data-testid="${id}"] .v`);
    await expect.poll(() => card("received").textContent(), { timeout: 30_000 }).toBe("6");
    expect(await page.locator("#from").inputValue()).toBe("2026-08-01");
    expect(await page.locator("#to").inputValue()).toBe(today);
    // The figures are public; the dossiers behind them wait for a staff token.
    expect(await page.locator("#signin").isVisible()).toBe(true);
    expect(await page.locator('[data-testid="overdue-list"]').textContent()).toBe("");
    await page.locator("#token").fill(tokenFor("H44", "leader").authorization.slice("Bearer ".length));
    await page.locator("#signin button").click();
    await expect.poll(() => page.locator("#signin").isVisible(), { timeout: 30_000 }).toBe(false);
    expect(await card("online-rate").textContent()).toBe("50%");
    expect(await card("overdue").textContent()).toBe("1");
    expect(await card("open").textContent()).toBe("5");
    // 766: 1 early + 4 open within of 6 handled; finished-only: 1 early of 1 resolved
    expect(await card("rate-766").textContent()).toBe("83,33%");
    expect(await card("rate-finished").textContent()).toBe("100%");
    expect(await page.locator('[data-testid="rate-finished"] .k').textContent()).toBe(
      "Tỷ lệ đúng hạn (hồ sơ đã giải quyết)",
    );
    expect(await page.locator('[data-testid="score-title"]').textContent()).toContain("32/100");
    expect(await page.locator('[data-testid="overdue-list"]').textContent()).toContain("Phường Việt Trì");
    // by competent unit the department has the centre's reception; by receiving centre the centre has it
    const receivedOf = (unit: string) =>
      page.locator(`#units tr[data-unit="${unit}"] td:nth-child(3)`).textContent();
    expect(await receivedOf(CT)).toBe("2");
    expect(await receivedOf(TTPV)).toBe("0");
    await page.locator("#attribution").selectOption("receiving");
    await expect.poll(() => receivedOf(TTPV), { timeout: 30_000 }).toBe("1");
    expect(await receivedOf(CT)).toBe("1");
    await page.locator("#attribution").selectOption("competent");
    await expect.poll(() => receivedOf(TTPV), { timeout: 30_000 }).toBe("0");

    const firstUnit = () => page.locator("#units tbody tr").first().getAttribute("data-unit");
    await page.locator('#units th[data-key="received"]').click();
    expect(await page.locator('#units th[data-key="received"]').getAttribute("aria-sort")).toBe("descending");
    // received: Công Thương 2, Việt Trì 2, Bản Nguyên 2, Tư pháp 0, the centre 0; ties by code
    expect(
      await page
        .locator("#units tbody tr")
        .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-unit"))),
    ).toEqual(["H44.07", "H44.100", "H44.108", "H44.08", TTPV]);
    await page.locator('#units th[data-key="received"]').click();
    expect(await firstUnit()).toBe("H44.08");
    await page.locator('#units th[data-key="openOverdue"]').click();
    expect(await firstUnit()).toBe("H44.100");

    await expect
      .poll(() => page.locator('[data-testid="live"]').getAttribute("class"), { timeout: 30_000 })
      .toBe("on");
    const extra = newDossier("H44.07", today);
    await publish(env.bus, [
      received(extra, "online", "2026-08-20T14:30:00+07:00", "2099-01-05T09:00:00+07:00"),
    ]);
    await expect.poll(() => card("received").textContent(), { timeout: 30_000 }).toBe("7");
    await expect
      .poll(() => page.locator('#units tr[data-unit="H44.07"] td:nth-child(3)').textContent(), {
        timeout: 30_000,
      })
      .toBe("3");

    await page.locator("#lang").click();
    expect(await page.locator('[data-testid="rate-766"] .k').textContent()).toBe(
      "On-time rate (766 definition)",
    );
    await page.locator("#lang").click();
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: resolve(ARTIFACTS, "statistics-dashboard.png"), fullPage: true });

    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
    await phone.goto(`${url}/`);
    await expect
      .poll(() => phone.locator('[data-testid="received"] .v').textContent(), { timeout: 30_000 })
      .toBe("7");
    await phone.screenshot({ path: resolve(ARTIFACTS, "statistics-dashboard-phone.png"), fullPage: false });
  });
});
