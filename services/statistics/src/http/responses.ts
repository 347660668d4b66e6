import { DossierId, examples, Instant, LocalDate, UnitCode } from "@tthc/contracts";
import { COUNT_KEYS } from "@tthc/rates";
import { z } from "zod";
import { attributions } from "../domain/attribution.js";
import { dossierFigures } from "../domain/dossier-figures.js";

/**
 * The statistics' answers as the OpenAPI document shows them and the serializer checks them: the
 * figures of docs/domain.md ("Rates"), each rate beside the counts it is made of.
 */

const count = z.number().min(0);
const percent = z.number().min(0).max(100).nullable();

/** One count of `@tthc/rates` (RawCounts): non-negative, summed up the units. */
const counts = Object.fromEntries(COUNT_KEYS.map((k) => [k, count])) as Record<
  (typeof COUNT_KEYS)[number],
  typeof count
>;

/** The figures of a unit, a procedure or the province over a period (`figuresOf`). */
export const Figures = z
  .object({
    ...counts,
    received: count.meta({ description: "Received in the period, every channel" }),
    handled: count.meta({ description: "H(P): received in the period plus carried over" }),
    onTime766: count.meta({ description: "N of the QĐ 766 rate" }),
    notOnTime766: count.meta({ description: "|H(P)| − N" }),
    onTimeRate766: percent.meta({ description: "On-time rate, QĐ 766 criterion 2.1, percent" }),
    onTimeRateFinished: percent.meta({ description: "(early + on time) / resolved, percent" }),
    onlineRate: percent.meta({ description: "Received online / received, percent" }),
    strictOnlineRate: percent.meta({ description: "Resolved online with an electronic result / resolved" }),
    progressScore: z.number().nullable().meta({ description: "Progress group points: 20 × the 766 rate" }),
    onlineScore: z.number().nullable().meta({ description: "Online-provision points: 12 × the online rate" }),
    acceptanceOnTimeRate: percent,
    open: count,
    avgUsedMinutes: z.number().nullable(),
  })
  .meta({ description: "Counts and rates over a period; a rate over nothing is null" });

const figuresExample = {
  receivedDirect: 812,
  receivedOnline: 1_204,
  receivedPostal: 15,
  carriedOver: 146,
  finished: 1_903,
  resolved: 1_871,
  stopped: 32,
  withdrawn: 11,
  early: 1_102,
  onTime: 698,
  late: 103,
  resolvedEarly: 1_095,
  resolvedOnTime: 684,
  resolvedLate: 92,
  resolvedOnlineElectronic: 1_037,
  openWithin: 251,
  openOverdue: 23,
  dueSoon: 17,
  usedMinutesSum: 1_528_440,
  usedCount: 1_903,
  lateSteps: 128,
  acceptanceDecided: 1_199,
  acceptanceOnTime: 1_171,
  acceptanceWaiting: 14,
  acceptanceOverdue: 1,
  received: 2_031,
  handled: 2_177,
  onTime766: 2_051,
  notOnTime766: 126,
  onTimeRate766: 94.21,
  onTimeRateFinished: 95.08,
  onlineRate: 59.28,
  strictOnlineRate: 55.42,
  progressScore: 18.84,
  onlineScore: 7.11,
  acceptanceOnTimeRate: 97.66,
  open: 274,
  avgUsedMinutes: 803,
};

export const Period = z.object({ from: LocalDate, to: LocalDate }).meta({ description: "Days, inclusive" });
const period = { from: "2026-03-01", to: "2026-03-31" };
const Attribution = z.enum(attributions);

const SeriesPoint = z.object({ label: z.string(), from: LocalDate, to: LocalDate, figures: Figures });

export const Summary = z
  .object({
    period: Period,
    attribution: Attribution,
    figures: Figures,
    usedMinutesP90: z.number().nullable().meta({ description: "90th percentile of working minutes used" }),
    unit: UnitCode.nullable().meta({
      description: "The unit asked for (with its units); null: the province",
    }),
    series: z
      .array(SeriesPoint)
      .optional()
      .meta({ description: "With `groupBy`: the figures of each day or month" }),
  })
  .meta({
    examples: [
      { period, attribution: "competent", figures: figuresExample, usedMinutesP90: 1_980, unit: null },
    ],
  });

/** `GET /v1/stats/units/{code}`: the summary of one unit and the units under it. */
export const UnitSummary = Summary.extend({
  unit: UnitCode,
  units: z.int().min(0).meta({ description: "How many units the figures cover" }),
}).meta({
  examples: [
    {
      period,
      attribution: "competent",
      figures: figuresExample,
      usedMinutesP90: 1_980,
      unit: examples.unit.code,
      units: 1,
    },
  ],
});

const unitFields = {
  unitCode: UnitCode,
  unitName: z.string(),
  level: z.string().meta({ description: "department, provincial-centre, commune or ward" }),
  parentCode: UnitCode.nullable(),
  figures: Figures,
};

const unitExample = {
  unitCode: examples.unit.code,
  unitName: examples.unit.name,
  level: examples.unit.level,
  parentCode: examples.unit.parentCode,
  figures: figuresExample,
};

export const Units = z
  .object({ period: Period, attribution: Attribution, units: z.array(z.object(unitFields)) })
  .meta({ examples: [{ period, attribution: "competent", units: [unitExample] }] });

export const Procedures = z
  .object({
    period: Period,
    attribution: Attribution,
    procedures: z.array(
      z.object({ procedureCode: z.string(), procedureName: z.string(), field: z.string(), figures: Figures }),
    ),
  })
  .meta({
    examples: [
      {
        period,
        attribution: "competent",
        procedures: [
          {
            procedureCode: examples.procedure.code,
            procedureName: examples.procedure.name,
            field: examples.procedure.field,
            figures: figuresExample,
          },
        ],
      },
    ],
  });

export const Ranking = z
  .object({
    period: Period,
    attribution: Attribution,
    title: z.string(),
    maxScore: z.number().meta({ description: "The points the partial score is out of (32)" }),
    ranking: z.array(
      z.object({
        rank: z.int().min(1).nullable().meta({ description: "Null for a unit with nothing handled" }),
        partialScore: z.number().nullable(),
        ...unitFields,
      }),
    ),
  })
  .meta({
    examples: [
      {
        period,
        attribution: "competent",
        title: "Partial QĐ 766 score: progress and online provision, 32 of 100 points",
        maxScore: 32,
        ranking: [{ rank: 1, partialScore: 25.95, ...unitExample }],
      },
    ],
  });

const nullableInstant = Instant.nullable();

const dossierExample = {
  dossierId: examples.dossier.id,
  dossierCode: examples.dossier.code,
  receivingUnitCode: examples.unit.code,
  competentUnitCode: examples.unit.code,
  currentUnitCode: examples.unit.code,
  procedureCode: examples.procedure.code,
  procedureName: examples.procedure.name,
  field: examples.procedure.field,
  channel: "direct",
  state: "resolved",
  receivedAt: examples.dossier.receivedAt,
  dueAt: examples.dossier.dueAt,
  dueSoonAt: examples.dossier.dueSoonAt,
  overdue: false,
  dueSoon: false,
  lateSince: null,
  paused: false,
  extendedDueAt: null,
  finishedAt: "2026-03-12T15:20:00.000+07:00",
  endKind: "resolved",
  stopReason: null,
  verdict: "early",
  verdictReason:
    "Early: resolved Thu 12/03/2026 15:20, a day before the due day Fri 13/03/2026 (due Fri 13/03/2026 09:12). " +
    "Due = 3 working days (1350 working minutes at 450 a day) counted from Tue 10/03/2026 09:12. Calendar 2026 v2 " +
    "(Công văn 12729/VPCP-KGVX, Công văn 9859/VPCP-KGVX, Bộ luật Lao động 2019, Điều 111–112, Government schedule " +
    "for Quốc khánh 2026), unit H44.100.",
  unitAtFaultCode: null,
  usedMinutes: 1_148,
  transfers: 0,
  slaSequence: 5,
  steps: [
    {
      runNo: 1,
      stepId: "receive",
      unitCode: examples.unit.code,
      staffId: examples.staff.reception,
      startedAt: examples.dossier.receivedAt,
      endedAt: "2026-03-10T09:40:00.000+07:00",
      dueAt: "2026-03-10T11:04:30.000+07:00",
      late: false,
    },
  ],
};

export const Dossiers = z
  .object({
    period: Period,
    attribution: Attribution,
    figure: z.enum(dossierFigures),
    at: Instant.meta({ description: "The instant the list is judged at: the period's end, or now" }),
    items: z.array(
      z.object({
        dossierId: DossierId,
        dossierCode: z.string().nullable(),
        receivingUnitCode: z.string().nullable(),
        competentUnitCode: z.string().nullable(),
        currentUnitCode: z.string().nullable(),
        procedureCode: z.string().nullable(),
        procedureName: z.string().nullable(),
        field: z.string().nullable(),
        channel: z.string().nullable().meta({ description: "direct, online or postal" }),
        state: z
          .string()
          .nullable()
          .meta({ description: "The dossier's state (national status code's name)" }),
        receivedAt: nullableInstant,
        dueAt: nullableInstant,
        dueSoonAt: nullableInstant,
        overdue: z.boolean(),
        dueSoon: z.boolean(),
        lateSince: nullableInstant,
        paused: z.boolean().nullable(),
        extendedDueAt: nullableInstant,
        finishedAt: nullableInstant,
        endKind: z.string().nullable().meta({ description: "resolved or stopped" }),
        stopReason: z.string().nullable(),
        verdict: z.string().nullable().meta({ description: "early, on_time or late" }),
        verdictReason: z.string().nullable().meta({ description: "The verdict in words" }),
        unitAtFaultCode: z.string().nullable(),
        usedMinutes: z.number().nullable(),
        transfers: z.int().min(0),
        slaSequence: z.int().nullable(),
        steps: z.array(
          z.object({
            runNo: z.int().min(1),
            stepId: z.string(),
            unitCode: z.string(),
            staffId: z.string().nullable(),
            startedAt: Instant,
            endedAt: nullableInstant,
            dueAt: nullableInstant,
            late: z.boolean(),
          }),
        ),
      }),
    ),
    nextCursor: z.string().nullable(),
  })
  .meta({
    examples: [
      {
        period,
        attribution: "competent",
        figure: "early",
        at: "2026-03-31T17:00:00.000Z",
        items: [dossierExample],
        nextCursor: null,
      },
    ],
  });

/** A rebuild of the aggregates, as `POST` starts it and `GET` follows it. */
export const Rebuild = z
  .object({
    state: z.enum(["idle", "running", "done", "failed"]),
    generation: z.int().min(0),
    startedAt: nullableInstant,
    finishedAt: nullableInstant,
    done: z.int().min(0).meta({ description: "Records of the three topics read so far" }),
    total: z.int().min(0).meta({ description: "How many there were when it started" }),
    recordsPerSecond: z.number().nullable(),
    error: z.string().nullable(),
  })
  .meta({
    examples: [
      {
        state: "running",
        generation: 7,
        startedAt: "2026-03-12T01:00:00.000Z",
        finishedAt: null,
        done: 412_950,
        total: 1_204_388,
        recordsPerSecond: 10_799,
        error: null,
      },
    ],
  });

/** The figure stream: server-sent events. */
export const figureStreamAnswer = {
  description:
    "An endless stream: `event: figures` with the province's summary and the changed units' ranking rows " +
    "of this month, at once and after each change; a comment every 15 s keeps the line open.",
  content: { "text/event-stream": { schema: z.string() } },
};
