import { readFileSync } from "node:fs";
import { join } from "node:path";

/** The slice of the catalogue the simulator needs, read from intake's seed files. */
export interface SimUnit {
  code: string;
  name: string;
  level: string;
}

export interface SimProcedure {
  code: string;
  name: string;
  field: string;
  statutoryTime: { amount: number; unit: string };
  implementingLevels: string[];
  interUnit: boolean;
  onlineServiceLevel: "full" | "partial";
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
  const units = (JSON.parse(readFileSync(join(dir, "units.json"), "utf8")) as { units: SimUnit[] }).units;
  const procedures = (
    JSON.parse(readFileSync(join(dir, "procedures.json"), "utf8")) as { procedures: SimProcedure[] }
  ).procedures;
  const communes = units.filter((u) => u.level === "commune" || u.level === "ward");
  const provincialCentre = units.find((u) => u.level === "provincial-centre");
  if (!provincialCentre) throw new Error("the catalogue has no provincial centre");
  return { units, procedures, communes, provincialCentre };
}
