/**
 * Renders benchmarks/results.json into docs/performance.md: every figure beside its baseline from
 * the same run, grouped by benchmark file, with the machine it ran on. `pnpm bench` calls it after
 * each run; `pnpm exec tsx bench/report.ts` renders the last results again.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { BenchResult } from "@tthc/testkit";

interface Results {
  machine: { cpu: string; cores: number; memoryGiB: number; node: string; os: string };
  results: Record<string, { measuredAt: string; figures?: BenchResult[]; error?: string }>;
}

const ROOT = join(import.meta.dirname, "..");

function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 100) return Math.round(n).toLocaleString("en-US");
  return n.toLocaleString("en-US", { maximumFractionDigits: 2 });
}

const cell = (s: string) => s.replaceAll("|", "\\|").replaceAll("\n", " ");

export function render(r: Results): string {
  const lines = [
    "# Performance",
    "",
    "Figures measured by `pnpm bench` (each benchmark beside a baseline measured in the same run, so",
    "that the ratio means something on a shared, noisy machine). This page is generated from",
    "`benchmarks/results.json` by `bench/report.ts`; run `pnpm bench` to measure again, or",
    "`pnpm bench <word>` for the files whose path contains the word.",
    "",
    `Machine: ${r.machine.cores} cores (${r.machine.cpu}), ${r.machine.memoryGiB} GiB, ${r.machine.os}, Node.js ${r.machine.node};`,
    "Kafka, PostgreSQL and Redis on the same machine. Timings are wall-clock and vary from run to run;",
    "compare ratios, not absolute figures.",
    "",
  ];
  for (const [file, entry] of Object.entries(r.results).sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`## ${file}`, "", `Measured ${entry.measuredAt}.`, "");
    if (entry.error) {
      lines.push(
        "The last run failed:",
        "",
        "```",
        entry.error.split("\n").slice(0, 5).join("\n"),
        "```",
        "",
      );
      continue;
    }
    lines.push("| figure | value | baseline (same run) | ratio |", "| --- | --- | --- | --- |");
    const notes: string[] = [];
    for (const f of entry.figures ?? []) {
      const base = f.baseline ? `${cell(f.baseline.name)}: ${fmt(f.baseline.value)} ${f.baseline.unit}` : "";
      const ratio = f.ratio === undefined ? "" : fmt(f.ratio);
      lines.push(`| ${cell(f.name)} | ${fmt(f.value)} ${f.unit} | ${base} | ${ratio} |`);
      if (f.notes) notes.push(`- ${f.name}: ${f.notes}`);
    }
    lines.push("");
    if (notes.length) lines.push(...notes, "");
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop() ?? "")) {
  const results = JSON.parse(readFileSync(join(ROOT, "benchmarks", "results.json"), "utf8")) as Results;
  writeFileSync(join(ROOT, "docs", "performance.md"), render(results));
  process.stderr.write("[bench] docs/performance.md written\n");
}
