import { readFileSync } from "node:fs";
import { join } from "node:path";

/** A weekly session as the catalogue writes it: ISO weekdays (1 = Monday), "HH:MM" to "HH:MM". */
export interface SimSession {
  weekdays: number[];
  from: string;
  to: string;
}

/** The slice of the catalogue the simulator needs, read from intake's seed files. */
export interface SimUnit {
  code: string;
  name: string;
  level: string;
  active?: boolean;
  workingSessions?: { sessions: SimSession[]; makeUpDaysAreWorking: boolean } | null;
  /** The decision under which the handling staff work on a weekly rest day, if any. */
  workingSessionsSource?: string | null;
  /** When the counter takes dossiers, where it differs from the working sessions. */
  receptionSessions?: SimSession[] | null;
}

export interface SimStep {
  id: string;
  unitRole: "receiving" | "handling" | "coordinating" | "deciding";
  /** Null where the dossier decides (the receiving unit, unless transferred to another). */
  unitCode: string | null;
  /** The step's share of the statutory time (indicative hours for a within-day procedure). */
  budget?: { amount: number; unit: string };
}

export interface SimProcedure {
  code: string;
  name: string;
  field: string;
  statutoryTime: { amount: number; unit: string };
  supplementRule: "pause" | "reset";
  maxSupplementRequests: number | null;
  steps: SimStep[];
  implementingLevels: string[];
  interUnit: boolean;
  /** Null when the procedure is not offered online. */
  onlineServiceLevel: "full" | "partial" | null;
  /** The centre's deadline to accept an online submission; absent: 8 working hours. */
  acceptanceTime?: { amount: number; unit: string };
  active?: boolean;
}

export interface Province {
  units: SimUnit[];
  procedures: SimProcedure[];
  /** Communes and wards: where most dossiers arrive. */
  communes: SimUnit[];
  /** The provincial one-stop centre: where department procedures are received. */
  provincialCentre: SimUnit;
}

const DATA = join(import.meta.dirname, "..", "..", "..", "services", "intake", "data");

export function loadProvince(dir = DATA): Province {
  const units = (
    JSON.parse(readFileSync(join(dir, "units.json"), "utf8")) as { units: SimUnit[] }
  ).units.filter((u) => u.active !== false);
  const procedures = (
    JSON.parse(readFileSync(join(dir, "procedures.json"), "utf8")) as { procedures: SimProcedure[] }
  ).procedures.filter((p) => p.active !== false);
  const communes = units.filter((u) => u.level === "commune" || u.level === "ward");
  const provincialCentre = units.find((u) => u.level === "provincial-centre");
  if (!provincialCentre) throw new Error("the catalogue has no provincial centre");
  return { units, procedures, communes, provincialCentre };
}
