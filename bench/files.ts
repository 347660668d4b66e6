import { readdirSync } from "node:fs";
import { join, relative } from "node:path";

/**
 * The benchmark files of the workspace (`packages/*\/bench/*.bench.ts`, `services/*\/bench/*.bench.ts`,
 * `bench/*.bench.ts`), as paths inside the repository, sorted.
 */
export function benchFiles(root: string): string[] {
  const out: string[] = [];
  for (const area of ["packages", "services"]) {
    for (const pkg of readdirSync(join(root, area))) {
      const dir = join(root, area, pkg, "bench");
      try {
        for (const f of readdirSync(dir)) if (f.endsWith(".bench.ts")) out.push(join(dir, f));
      } catch {
        // no bench folder
      }
    }
  }
  for (const f of readdirSync(join(root, "bench")))
    if (f.endsWith(".bench.ts")) out.push(join(root, "bench", f));
  return out.map((f) => relative(root, f)).sort();
}

/**
 * The files whose path contains one of the words (all of them without words). The word is matched
 * against the path inside the repository, so the checkout's own folder name (which may contain any
 * word) selects nothing.
 */
export function selectBenchFiles(root: string, words: readonly string[]): string[] {
  return benchFiles(root).filter((f) => words.length === 0 || words.some((w) => f.includes(w)));
}
