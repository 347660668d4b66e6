import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The overdue and due-soon boundaries are written once, in packages/calendar/src/deadlines.ts, and
 * every service evaluates them (`isOverdue`, `isDueSoon`) or renders them for SQL (`toSql`). A
 * comparison of a due instant spelled by hand in a service is the way the boundary came to be
 * spelled three ways (`>`, `<=`, `fire_at <= now()`); this finds any that comes back.
 */
const ROOT = resolve(import.meta.dirname, "../..");
const DUE = "(?:due_at|dueAt|due_soon_at|dueSoonAt|fire_at|known_due_at|t\\.deadline)";
const HAND_WRITTEN = new RegExp(
  `\\b${DUE}\\b[\\w.()?]*\\s*(?:<=?|>=?)(?!=)|(?:<=?|>=?)\\s*[\\w.]*\\b${DUE}\\b`,
);
/** A query's own filter, not the boundary: "due before this instant", asked by the caller. */
const FILTERS = [/dueBefore/];

function* sources(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === "node_modules") continue;
    if (statSync(path).isDirectory()) yield* sources(path);
    else if (name.endsWith(".ts")) yield path;
  }
}

describe("the deadline boundaries are spelled once", () => {
  it("no service compares a due instant by hand", () => {
    const found: string[] = [];
    for (const service of readdirSync(join(ROOT, "services"))) {
      const src = join(ROOT, "services", service, "src");
      for (const file of sources(src)) {
        readFileSync(file, "utf8")
          .split("\n")
          .forEach((line, i) => {
            const text = line.trim();
            if (text.startsWith("//") || text.startsWith("*")) return;
            if (HAND_WRITTEN.test(text) && !FILTERS.some((f) => f.test(text)))
              found.push(`${relative(ROOT, file)}:${i + 1}: ${text}`);
          });
      }
    }
    expect(found).toEqual([]);
  });
});
