import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

export type Verify = (
  headers: Record<string, string | undefined>,
  rawBody: string,
) => { ok: true; id: string } | { ok: false; reason: string };

export type CreateVerifier = (
  secret: string,
  options?: { toleranceSeconds?: number; now?: () => number },
) => Verify;

/** The verifier exactly as docs/webhooks.md prints it (the ```js webhook-verifier block). */
export async function documentedVerifier(): Promise<CreateVerifier> {
  const doc = readFileSync(new URL("../../../docs/webhooks.md", import.meta.url), "utf8");
  const code = /```js webhook-verifier\n([\s\S]*?)```/.exec(doc)?.[1];
  if (!code) throw new Error("docs/webhooks.md has no ```js webhook-verifier block");
  const file = join(mkdtempSync(join(tmpdir(), "webhook-verifier-")), "verifier.mjs");
  writeFileSync(file, code);
  const mod = (await import(pathToFileURL(file).href)) as { createVerifier: CreateVerifier };
  return mod.createVerifier;
}
