/**
 * `pnpm bench`: runs every benchmark of the workspace (`packages/*\/bench/*.bench.ts`,
 * `services/*\/bench/*.bench.ts`, `bench/*.bench.ts`), each beside the baseline it measures in the
 * same run, and writes the figures to benchmarks/results.json with a description of the machine.
 * A benchmark module default-exports `run(): Promise<BenchResult[]>`.
 * `pnpm bench calendar` runs only the files whose path contains "calendar".
 */
import { execSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import type { BenchResult } from "@tthc/testkit";
import { selectBenchFiles } from "./files.js";
import { render } from "./report.js";

const ROOT = join(import.meta.dirname, "..");

function machine() {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model ?? "unknown",
    cores: cpu.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    os: (() => {
      try {
        return execSync("uname -sr", { encoding: "utf8" }).trim();
      } catch {
        return process.platform;
      }
    })(),
  };
}

const files = selectBenchFiles(ROOT, process.argv.slice(2)).map((f) => join(ROOT, f));
const out = join(ROOT, "benchmarks", "results.json");
type Entry = { measuredAt: string; figures: BenchResult[] } | { measuredAt: string; error: string };
// A filtered run replaces only the entries of the files it ran; the others keep their last figures.
const previous = existsSync(out)
  ? ((JSON.parse(readFileSync(out, "utf8")) as { results?: Record<string, Entry> }).results ?? {})
  : {};
const results: Record<string, Entry> = { ...previous };
let failed = 0;
for (const file of files) {
  const name = relative(ROOT, file);
  process.stderr.write(`[bench] ${name}\n`);
  try {
    const mod = (await import(pathToFileURL(file).href)) as { default: () => Promise<BenchResult[]> };
    const figures = await mod.default();
    results[name] = { measuredAt: new Date().toISOString(), figures };
    for (const r of figures) {
      const base = r.baseline
        ? `  (baseline ${r.baseline.name}: ${fmt(r.baseline.value)} ${r.baseline.unit})`
        : "";
      const ratio = r.ratio === undefined ? "" : `  ratio ${r.ratio.toFixed(2)}`;
      process.stderr.write(`  ${r.name}: ${fmt(r.value)} ${r.unit}${base}${ratio}\n`);
    }
  } catch (err) {
    failed++;
    results[name] = { measuredAt: new Date().toISOString(), error: (err as Error).stack ?? String(err) };
    process.stderr.write(`  failed: ${(err as Error).message}\n`);
  }
}

function fmt(n: number): string {
  return n >= 100 ? Math.round(n).toLocaleString("en-US") : n.toFixed(2);
}

mkdirSync(join(ROOT, "benchmarks"), { recursive: true });
const all = { machine: machine(), results };
writeFileSync(out, `${JSON.stringify(all, null, 2)}\n`);
writeFileSync(join(ROOT, "docs", "performance.md"), render(all as Parameters<typeof render>[0]));
process.stderr.write(
  `[bench] ${files.length} file(s), ${failed} failed; figures in ${relative(ROOT, out)}\n`,
);
process.exit(failed ? 1 : 0);
