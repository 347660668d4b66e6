import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** One figure of a benchmark, beside the baseline measured in the same run (`pnpm bench`). */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  baseline?: { name: string; value: number; unit: string };
  /** value / baseline.value, or the ratio the benchmark defines (said in `notes`). */
  ratio?: number;
  notes?: string;
}

/**
 * Runs a benchmark module's `run` and prints its figures as JSON when the file is executed
 * directly (`pnpm exec tsx path/to/x.bench.ts`); does nothing when `pnpm bench` imports it.
 */
export function runIfMain(moduleUrl: string, run: () => Promise<BenchResult[]>): void {
  const entry = process.argv[1];
  if (!entry) return;
  try {
    if (realpathSync(entry) !== realpathSync(fileURLToPath(moduleUrl))) return;
  } catch {
    return;
  }
  run().then(
    (results) => {
      process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
      process.exit(0);
    },
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
