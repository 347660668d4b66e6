/**
 * Writes the published contracts into docs/contracts/: asyncapi.json and schemas/*.json, generated
 * from the zod schemas. Removes schema files that no schema produces any more.
 *
 *   pnpm exec tsx packages/contracts/scripts/generate.ts      (or: pnpm --filter @tthc/contracts generate)
 */
import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { contractDocuments } from "../src/documents.js";

export const docsDir = fileURLToPath(new URL("../../../docs/contracts/", import.meta.url));

async function main(): Promise<void> {
  const files = contractDocuments();
  for (const [path, text] of files) {
    const target = join(docsDir, path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, text, "utf8");
  }
  const schemasDir = join(docsDir, "schemas");
  for (const name of await readdir(schemasDir)) {
    if (name.endsWith(".json") && !files.has(`schemas/${name}`)) {
      await rm(join(schemasDir, name));
      console.log(`removed stale docs/contracts/schemas/${name}`);
    }
  }
  console.log(`wrote ${files.size} files to docs/contracts/`);
}

await main();
