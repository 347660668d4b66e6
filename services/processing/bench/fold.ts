import type { AnyEvent, CurrentEvent } from "@tthc/contracts";
import type { Pool } from "@tthc/service-kit";
import { type BenchResult, deliveries, foldFigures, timeRuns } from "@tthc/testkit";
import { eventHandler } from "../src/consumers/events.js";
import { deadlineSet, history, monitorRun, slaVerdict } from "../test/fixtures.js";

const DOSSIERS = Number(process.env.BENCH_FOLD_DOSSIERS ?? 300);
const RUN = 100;

/**
 * Each dossier's life (seven events on dossier.events) and the monitor's data on it (two deadlines
 * and a verdict on sla.events), each topic's events in a partition's order: the dossiers interleaved.
 */
function streams(n: number, start: Date): { dossier: AnyEvent[]; sla: AnyEvent[] } {
  const lives = Array.from({ length: n }, () => {
    const h = history(start);
    const r = h.received;
    const run = monitorRun({ unitCode: r.payload.receivingUnitCode, startedAt: r.payload.receivedAt });
    const sla = [
      deadlineSet(r, start, { sequence: 1 }),
      deadlineSet(r, start, { sequence: 2, steps: [run, { ...run, runNo: 2, stepId: "review" }] }),
      slaVerdict(r, start, { sequence: 3, verdict: "on_time", steps: [{ ...run, endedAt: run.startedAt }] }),
    ];
    return { dossier: h.events, sla };
  });
  const interleave = (pick: (l: (typeof lives)[number]) => AnyEvent[]) => {
    const out: AnyEvent[] = [];
    const width = pick(lives[0] as (typeof lives)[number]).length;
    for (let k = 0; k < width; k++) for (const l of lives) out.push(pick(l)[k] as AnyEvent);
    return out;
  };
  return { dossier: interleave((l) => l.dossier), sla: interleave((l) => l.sla) };
}

/**
 * Processing's consumer through its real handler and tables: the same lives applied in runs of RUN
 * deliveries (one transaction each, as the bus hands them), beside one delivery per transaction.
 */
export async function foldBench(pool: Pool, now: Date): Promise<BenchResult[]> {
  const handle = eventHandler({ warn: () => {} });
  const run = (events: { dossier: AnyEvent[]; sla: AnyEvent[] }) => [
    deliveries(events.dossier as CurrentEvent[], "dossier.events"),
    deliveries(events.sla as CurrentEvent[], "sla.events"),
  ];
  const single = await timeRuns(pool, run(streams(DOSSIERS, now)), 1, handle);
  const batched = await timeRuns(pool, run(streams(DOSSIERS, now)), RUN, handle);
  const notes = `${DOSSIERS} dossiers × (7 dossier events + 3 sla events) (BENCH_FOLD_DOSSIERS), dossiers interleaved as on a partition; process CPU only, PostgreSQL's own not counted`;
  return foldFigures(
    {
      rate: `processing: events folded by the consumer, runs of ${RUN} per transaction`,
      cpu: `processing: consumer CPU per event, runs of ${RUN}`,
    },
    batched,
    single,
    notes,
  );
}
