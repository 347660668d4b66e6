import type { AnyEvent, CurrentEvent, EventOf } from "@tthc/contracts";
import type { TestEnv } from "@tthc/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventHandler } from "../../src/consumers/events.js";
import { deadlineSet, history, monitorRun, received, slaVerdict } from "../fixtures.js";
import { applyRuns, chunks, deliveries, dump, processingSchema } from "./runs.js";

/** Every table processing's consumer writes. */
const TABLES = ["dossiers", "step_visits", "timeline", "sla_latest", "sla_step_runs", "bus_outbox"];
const handle = eventHandler({ warn: () => {} });
const START = new Date("2026-05-04T01:00:00Z");

/** Three lives (received to returned), one dossier only received; their events interleaved as on a partition. */
function lives(): { receptions: EventOf<"dossier.received">[]; events: CurrentEvent[] } {
  const hs = [0, 1, 2].map((i) => history(new Date(START.getTime() + i * 600_000)));
  const lone = received(START);
  const events: AnyEvent[] = [lone];
  for (let k = 0; k < 7; k++) for (const h of hs) events.push(h.events[k] as AnyEvent);
  return { receptions: [...hs.map((h) => h.received), lone], events: events as CurrentEvent[] };
}

/** The monitor's data on each dossier: two deadlines and a verdict, and one for a dossier not received yet. */
function monitorData(receptions: EventOf<"dossier.received">[]): CurrentEvent[] {
  const out: AnyEvent[] = [];
  const early = received(START);
  for (const [k, r] of [...receptions, early].entries()) {
    const run = monitorRun({ unitCode: r.payload.receivingUnitCode, startedAt: r.payload.receivedAt });
    const at = new Date(START.getTime() + k * 60_000);
    out.push(
      deadlineSet(r, at, { sequence: 1 }),
      deadlineSet(r, at, {
        sequence: 2,
        dueAt: "2026-05-20T10:00:00+07:00",
        steps: [
          { ...run, endedAt: r.payload.receivedAt },
          { ...run, runNo: 2, stepId: "review" },
        ],
      }),
    );
    if (k < 2)
      out.push(
        slaVerdict(r, at, { sequence: 3, verdict: "on_time", steps: [{ ...run, endedAt: run.startedAt }] }),
      );
  }
  // A partition's order: each dossier's in sequence, the dossiers interleaved.
  return out.sort((a, b) => seq(a) - seq(b)) as CurrentEvent[];
}
const seq = (e: AnyEvent) => (e.payload as { sequence: number }).sequence;

/** Copies inside the runs that carry the originals: each twice in a row, then the run before, then the run again. */
const withCopies = (events: CurrentEvent[], size: number) =>
  chunks(events, size).map((run, i, all) => [...run.flatMap((e) => [e, e]), ...(all[i - 1] ?? []), ...run]);

describe("processing's consumer, fed copies of what it already applied", () => {
  let env: TestEnv;
  let twin: TestEnv;
  const { receptions, events } = lives();
  const sla = monitorData(receptions);

  beforeAll(async () => {
    env = await processingSchema("processing-copies");
    twin = await processingSchema("processing-copies-twin");
  });

  afterAll(async () => {
    await env?.cleanup();
    await twin?.cleanup();
  });

  describe("dossier events", () => {
    beforeAll(async () => {
      await applyRuns(env.pool, handle, chunks(deliveries(events), 5));
    });

    it("the lives wrote what the rest compares against", async () => {
      const d = await dump(env.pool, TABLES);
      expect(d.dossiers).toHaveLength(4);
      expect(d.timeline).toHaveLength(events.length);
      expect((d.dossiers as { state: string }[]).map((r) => r.state).sort()).toEqual([
        "received",
        "returned",
        "returned",
        "returned",
      ]);
    });

    it("the whole history again in one run, and each event again newest first, change no row", async () => {
      const before = await dump(env.pool, TABLES);
      await applyRuns(env.pool, handle, [deliveries(events)]);
      expect(await dump(env.pool, TABLES)).toEqual(before);
      await applyRuns(
        env.pool,
        handle,
        deliveries([...events].reverse()).map((d) => [d]),
      );
      expect(await dump(env.pool, TABLES)).toEqual(before);
    });

    it("copies inside the runs that carry the originals write what the lives alone wrote", async () => {
      await applyRuns(
        twin.pool,
        handle,
        withCopies(events, 5).map((r) => deliveries(r)),
      );
      expect(await dump(twin.pool, TABLES)).toEqual(await dump(env.pool, TABLES));
    });
  });

  describe("the monitor's sla events", () => {
    beforeAll(async () => {
      await applyRuns(env.pool, handle, chunks(deliveries(sla, "sla.events"), 4));
    });

    it("kept the highest sequence of each dossier, received or not, and put its due instant on the dossier", async () => {
      const { rows } = await env.pool.query<{ sequence: number; on_dossier: boolean | null }>(
        `SELECT s.sequence, d.due_at = s.due_at AS on_dossier
         FROM sla_latest s LEFT JOIN dossiers d ON d.id = s.dossier_id ORDER BY s.dossier_id`,
      );
      expect(rows.map((r) => r.sequence).sort()).toEqual([2, 2, 2, 3, 3]);
      // The four received carry it; the fifth is kept until its reception comes.
      expect(rows.map((r) => r.on_dossier).sort()).toEqual([null, true, true, true, true]);
    });

    it("copies in one run, one by one newest first, and inside the original runs change no row", async () => {
      const before = await dump(env.pool, TABLES);
      await applyRuns(env.pool, handle, [deliveries(sla, "sla.events")]);
      await applyRuns(
        env.pool,
        handle,
        deliveries([...sla].reverse(), "sla.events").map((d) => [d]),
      );
      expect(await dump(env.pool, TABLES)).toEqual(before);
      await applyRuns(
        twin.pool,
        handle,
        withCopies(sla, 4).map((r) => deliveries(r, "sla.events")),
      );
      expect(await dump(twin.pool, TABLES)).toEqual(before);
    });
  });
});
