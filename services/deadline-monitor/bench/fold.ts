import { toEpochMs } from "@tthc/calendar";
import type { CurrentEvent } from "@tthc/contracts";
import { ManualClock, type Pool } from "@tthc/service-kit";
import { type BenchResult, deliveries, foldFigures, timeRuns } from "@tthc/testkit";
import { CatalogCache } from "../src/catalog-cache.js";
import { dossierEventsHandler } from "../src/consumers/dossier-events.js";
import {
  DEPARTMENT,
  received,
  resolved,
  supplementReceived,
  supplementRequested,
  transferred,
} from "../test/fixtures.js";

const DOSSIERS = Number(process.env.BENCH_FOLD_DOSSIERS ?? 300);
const RUN = 100;

/** Six events a dossier: reception, two transfers, a supplement asked and supplied, the decision. */
function histories(n: number, firstDay: number): CurrentEvent[] {
  const perDossier = Array.from({ length: n }, (_, i) => {
    const day = new Date(firstDay + (i % 5) * 86_400_000).toISOString().slice(0, 10);
    const t = (hm: string) => `${day}T${hm}:00+07:00`;
    const r = received(t("08:00"), { statutory: { amount: 3, unit: "days" } });
    return [
      r,
      transferred(r, t("08:30"), "reception", "review", DEPARTMENT),
      supplementRequested(r, t("09:00")),
      supplementReceived(r, t("09:00"), t("10:00")),
      transferred(r, t("10:30"), "review", "approval"),
      resolved(r, t("14:00")),
    ] as CurrentEvent[];
  });
  // A partition's order: each dossier's events in order, the dossiers interleaved.
  const out: CurrentEvent[] = [];
  for (let k = 0; k < 6; k++) for (const h of perDossier) out.push(h[k] as CurrentEvent);
  return out;
}

/**
 * The dossier-events consumer's fold through its real handler and tables: the same histories
 * applied in runs of RUN deliveries (one transaction each, as the bus hands them), beside one
 * delivery per transaction. Leaves rows behind: the caller empties the tables.
 */
export async function foldBench(pool: Pool): Promise<BenchResult[]> {
  const clock = new ManualClock("2026-11-16T07:00:00+07:00");
  const handle = dossierEventsHandler({
    catalog: new CatalogCache(pool),
    clock,
    rule: { share: null },
    rateThreshold: null,
    onTimersChanged: () => {},
  });
  const start = toEpochMs("2026-11-16T00:00:00+07:00");
  const stream = () => [deliveries(histories(DOSSIERS, start))];
  const single = await timeRuns(pool, stream(), 1, handle);
  const batched = await timeRuns(pool, stream(), RUN, handle);
  const notes = `${DOSSIERS} dossiers × 6 events (BENCH_FOLD_DOSSIERS), dossiers interleaved as on a partition; process CPU only, PostgreSQL's own not counted`;
  return foldFigures(
    {
      rate: `monitor: dossier events folded, runs of ${RUN} per transaction`,
      cpu: `monitor: consumer CPU per dossier event, runs of ${RUN}`,
    },
    batched,
    single,
    notes,
  );
}
