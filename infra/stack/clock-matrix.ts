import { spawn, spawnSync } from "node:child_process";

/**
 * The suite at any hour of any day (docs/domain.md, "One owner of the clock"): the tests are run
 * again with the machine's clock itself moved, for every process they start, by libfaketime. Code
 * under test reads business time from an injected clock; a test or a rule that still read the
 * machine's time would pass at some hours and fail at others, and fails here.
 *
 * The instants: 07:29 (before the morning session), 11:30 (its end), 16:59 and 17:00 (the end of the
 * working day, a cut-off hour) on a weekday, on a Saturday and on a public holiday.
 */
export const CLOCK_MATRIX: readonly { label: string; at: string }[] = [
  ...["07:29", "11:30", "16:59", "17:00"].flatMap((time) => [
    { label: `weekday Wed 09/12/2026 ${time}`, at: `2026-12-09T${time}:00+07:00` },
    { label: `Saturday 12/12/2026 ${time}`, at: `2026-12-12T${time}:00+07:00` },
    { label: `holiday Fri 01/01/2027 ${time}`, at: `2027-01-01T${time}:00+07:00` },
  ]),
];

/** One instant of each kind of day, at three of the four hours: what CI runs on every change. */
export const CLOCK_SAMPLE: readonly { label: string; at: string }[] = [
  CLOCK_MATRIX[0],
  CLOCK_MATRIX[7],
  CLOCK_MATRIX[11],
].filter((x): x is { label: string; at: string } => x !== undefined);

export interface MatrixRow {
  label: string;
  code: number;
  seconds: number;
}

export function hasFaketime(): boolean {
  return spawnSync("faketime", ["-f", "+0s", "true"]).status === 0;
}

/**
 * Runs `cmd args` once per instant of the matrix, the clock of every process it starts moved there
 * by one offset (FAKETIME "+Ns", so that parent and children agree), and returns one row each.
 */
export async function runClockMatrix(
  cmd: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  instants: readonly { label: string; at: string }[] = CLOCK_MATRIX,
  log: (line: string) => void = () => {},
): Promise<MatrixRow[]> {
  const rows: MatrixRow[] = [];
  for (const { label, at } of instants) {
    const offset = Math.round((Date.parse(at) - Date.now()) / 1000);
    log(`clock set to ${label} (${offset >= 0 ? "+" : ""}${offset} s)`);
    const started = Date.now();
    const code = await new Promise<number>((resolve) => {
      const child = spawn("faketime", ["-f", `${offset >= 0 ? "+" : ""}${offset}s`, cmd, ...args], {
        env: { ...env, FAKETIME_DONT_FAKE_MONOTONIC: "1" },
        stdio: "inherit",
      });
      child.on("exit", (c) => resolve(c ?? 1));
    });
    rows.push({ label, code, seconds: Math.round((Date.now() - started) / 1000) });
  }
  return rows;
}

export function matrixTable(rows: readonly MatrixRow[]): string {
  const width = Math.max(...rows.map((r) => r.label.length));
  return rows
    .map(
      (r) => `  ${r.label.padEnd(width)}  ${r.code === 0 ? "passed" : `FAILED (${r.code})`}  ${r.seconds} s`,
    )
    .join("\n");
}
