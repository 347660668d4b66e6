import { createLogger, withTransaction } from "@tthc/service-kit";
import type { TestEnv } from "@tthc/testkit";
import { waitUntil } from "@tthc/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AlertStream } from "../../src/http/alert-stream.js";
import { type AlertInput, type AlertRow, announceAlerts, raiseAlert } from "../../src/store/alerts.js";
import { monitorSchema } from "../consumers/runs.js";

const alert = (key: string, unitCode: string): AlertInput => ({
  key,
  kind: "on-time-rate-below",
  dossierId: null,
  dossierCode: null,
  unitCode,
  dueAt: null,
  lagMs: null,
  raisedAt: new Date("2026-11-30T17:00:00+07:00"),
  event: null,
  body: { unitCode },
});

describe("the live stream of alerts, with no NOTIFY in the transaction that raises them", () => {
  let env: TestEnv;
  const logger = createLogger("alert-stream-test", "warn");

  beforeAll(async () => {
    env = await monitorSchema("monitor-alert-stream");
  });

  afterAll(async () => {
    await env?.cleanup();
  });

  it("an alert announced after its commit reaches the subscribers of its unit, once", async () => {
    // A poll far longer than the test: only the notification can wake the stream.
    const stream = new AlertStream(env.pool, logger, 3_600_000);
    const got: AlertRow[] = [];
    const other: AlertRow[] = [];
    try {
      await stream.subscribe({ unit: "H44.101", afterId: "-1" }, (a) => got.push(a));
      await stream.subscribe({ unit: "H44.102", afterId: "-1" }, (a) => other.push(a));
      await withTransaction(env.pool, (tx) => raiseAlert(tx, alert("announced|H44.101", "H44.101")));
      await announceAlerts(env.pool);
      await waitUntil("the announced alert streamed", () => got.length > 0);
      await announceAlerts(env.pool);
      await withTransaction(env.pool, (tx) => raiseAlert(tx, alert("marker|H44.102", "H44.102")));
      await announceAlerts(env.pool);
      await waitUntil("a later alert of another unit streamed to its own subscriber", () => other.length > 0);
      expect(got.map((a) => a.kind)).toEqual(["on-time-rate-below"]);
      expect(other.map((a) => a.unitCode)).toEqual(["H44.102"]);
    } finally {
      await stream.close();
    }
  });

  it("an alert committed with no notification (a consumer's) reaches them by the poll", async () => {
    const stream = new AlertStream(env.pool, logger, 100);
    const got: AlertRow[] = [];
    try {
      await stream.subscribe({ unit: "H44.103", afterId: "-1" }, (a) => got.push(a));
      await withTransaction(env.pool, (tx) => raiseAlert(tx, alert("silent|H44.103", "H44.103")));
      await waitUntil("the silent alert streamed", () => got.length > 0);
      expect(got.map((a) => a.unitCode)).toEqual(["H44.103"]);
    } finally {
      await stream.close();
    }
  });
});
