import { readFileSync } from "node:fs";
import { stateLabelVi } from "@tthc/contracts";
import type { HttpApp } from "@tthc/service-kit";
import { z } from "zod";

/**
 * The dashboard: a page, its style and its scripts (ES modules, no build step, nothing from another
 * origin, so that it works offline), read once at start. The states' Vietnamese names come from
 * contracts, as every other view of a dossier shows them.
 */
const dir = new URL("./dashboard/", import.meta.url);
const read = (name: string) => readFileSync(new URL(name, dir), "utf8");

const script = "text/javascript; charset=utf-8";
const modules = ["app.js", "view.js", "render.js", "tables.js", "format.js", "charts.js", "text.js"];
const assets: Record<string, { type: string; body: string }> = {
  "style.css": { type: "text/css; charset=utf-8", body: read("style.css") },
  ...Object.fromEntries(modules.map((m) => [m, { type: script, body: read(m) }])),
  "labels.js": { type: script, body: `export const stateLabelVi = ${JSON.stringify(stateLabelVi)};\n` },
};

export function registerDashboard(app: HttpApp): void {
  const html = read("index.html");
  const page = { access: { who: "public" } } as const;
  app.get("/", { schema: { hide: true }, config: page }, async (_req, reply) =>
    reply.header("content-type", "text/html; charset=utf-8").header("cache-control", "no-cache").send(html),
  );
  app.get(
    "/dashboard/:file",
    { schema: { hide: true, params: z.object({ file: z.string() }) }, config: page },
    async (req, reply) => {
      const asset = assets[req.params.file];
      if (!asset) return reply.callNotFound();
      return reply.header("content-type", asset.type).header("cache-control", "no-cache").send(asset.body);
    },
  );
}
