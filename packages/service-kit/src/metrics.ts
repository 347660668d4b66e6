import { collectDefaultMetrics, Histogram, Registry } from "prom-client";

/** One registry per service, with Node.js process metrics and a `service` label on everything. */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}

export function httpDurationHistogram(registry: Registry): Histogram<"method" | "route" | "status"> {
  return new Histogram({
    name: "http_request_duration_seconds",
    help: "HTTP request duration by route and status",
    labelNames: ["method", "route", "status"],
    // Up to the slowest answers there are: a year's report of 160 units, an export to XLSX.
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
}

export { Counter, Gauge, Histogram, type Registry } from "prom-client";
