import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readMigrations } from "../src/migrate.js";

function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "migrations-"));
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, name), sql);
  return dir;
}

describe("migrations are NNN_name.sql files applied in version order", () => {
  it("reads them sorted by version", async () => {
    const dir = dirWith({ "002_b.sql": "B", "001_a.sql": "A", "010_c.sql": "C", "README.md": "ignored" });
    expect((await readMigrations(dir)).map((m) => [m.version, m.name])).toEqual([
      [1, "a"],
      [2, "b"],
      [10, "c"],
    ]);
  });

  it("refuses a badly named file and a duplicate version", async () => {
    await expect(readMigrations(dirWith({ "1-a.sql": "" }))).rejects.toThrow(/NNN_name\.sql/);
    await expect(readMigrations(dirWith({ "001_a.sql": "", "0001_b.sql": "" }))).rejects.toThrow(/duplicate/);
  });
});
