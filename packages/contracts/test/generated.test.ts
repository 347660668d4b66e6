import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { contractDocuments } from "../src/documents.js";

const docsDir = fileURLToPath(new URL("../../../docs/contracts/", import.meta.url));
const HOW_TO_FIX = "run `pnpm exec tsx packages/contracts/scripts/generate.ts` and commit docs/contracts";

function filesOnDisk(dir: string, prefix = ""): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? filesOnDisk(join(dir, entry.name), `${prefix}${entry.name}/`)
      : entry.name.endsWith(".json")
        ? [`${prefix}${entry.name}`]
        : [],
  );
}

describe("the published contracts in docs/contracts", () => {
  const expected = contractDocuments();

  it("regenerate to the same files, byte for byte", () => {
    const stale: string[] = [];
    for (const [path, text] of expected) {
      const target = join(docsDir, path);
      const onDisk = existsSync(target) ? readFileSync(target, "utf8") : undefined;
      if (onDisk === undefined) stale.push(`${path} (missing)`);
      else if (onDisk !== text) stale.push(`${path} (differs)`);
    }
    expect(stale, `docs/contracts is stale: ${HOW_TO_FIX}`).toEqual([]);
  });

  it("hold no file that the schemas no longer produce", () => {
    const extra = filesOnDisk(docsDir).filter((path) => !expected.has(path));
    expect(extra, `docs/contracts holds files no schema produces: ${HOW_TO_FIX}`).toEqual([]);
  });

  it("are the same on every run (no timestamps, stable order)", () => {
    expect([...contractDocuments()]).toEqual([...expected]);
  });
});
