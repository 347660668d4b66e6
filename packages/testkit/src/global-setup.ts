import type { TestProject } from "vitest/node";
import { type Servers, serversFromEnv, startContainers } from "./servers.js";

declare module "vitest" {
  export interface ProvidedContext {
    tthcServers: Servers;
  }
}

/**
 * vitest global setup of the integration project: finds the servers once (environment, else
 * containers) and hands them to every test file. Containers it started are stopped at the end.
 */
export default async function setup(project: TestProject) {
  const fromEnv = serversFromEnv();
  if (fromEnv) {
    project.provide("tthcServers", fromEnv);
    return;
  }
  const started = await startContainers();
  project.provide("tthcServers", started.servers);
  return () => started.stop();
}
