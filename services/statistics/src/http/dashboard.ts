import { readFileSync } from "node:fs";
import type { HttpApp } from "@tthc/service-kit";

/** The dashboard: one static page (inline CSS and JS, no build step) that reads the API and the SSE. */
export function registerDashboard(app: HttpApp): void {
  const html = readFileSync(new URL("./dashboard.html", import.meta.url), "utf8");
  app.get("/", { schema: { hide: true }, config: { access: { who: "public" } } }, async (_req, reply) =>
    reply.header("content-type", "text/html; charset=utf-8").header("cache-control", "no-cache").send(html),
  );
}
