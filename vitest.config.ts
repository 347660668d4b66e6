import { defineConfig } from "vitest/config";

// Three projects: `unit` needs no server; `integration` (files named *.int.test.ts) talks to the
// real Kafka, PostgreSQL and Redis that packages/testkit finds or starts; `faults` breaks a sandbox
// of its own (test/faults/README.md).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          sequence: { groupOrder: 0 },
          // Pure tests end in milliseconds; a few start a CLI (node, tsx) and on a loaded 2-core
          // machine that alone can take several seconds: the bound is for a hang, not for speed.
          testTimeout: 60_000,
          include: [
            "packages/*/test/**/*.test.ts",
            "services/*/test/**/*.test.ts",
            "infra/**/*.test.ts",
            "test/architecture/**/*.test.ts",
            "test/cli/**/*.test.ts",
          ],
          exclude: ["**/*.int.test.ts", "**/node_modules/**"],
        },
      },
      {
        test: {
          name: "integration",
          // After the unit tests, with fewer workers: they share two cores with the servers.
          sequence: { groupOrder: 1 },
          include: [
            "packages/*/test/**/*.int.test.ts",
            "services/*/test/**/*.int.test.ts",
            "test/**/*.int.test.ts",
          ],
          exclude: ["**/node_modules/**", "test/faults/**", "test/agreement/**"],
          testTimeout: 60_000,
          hookTimeout: 90_000,
          pool: "forks",
          // Real servers on two shared cores: a few files at a time, each with its own topics and
          // schema (the agreement project shares this group and its limit).
          maxWorkers: 3,
          globalSetup: ["packages/testkit/src/global-setup.ts"],
        },
      },
      {
        test: {
          name: "agreement",
          // Beside the integration files, in their group: a month of the province acted out on one
          // manual clock (test/agreement), which waits on the pipeline more than it uses the cores.
          // Vitest runs a group under one worker limit, so in the fault tests' group it would run
          // after them, not beside them; here it takes one of the group's workers while the
          // integration files share the others.
          sequence: { groupOrder: 1 },
          include: ["test/agreement/**/*.int.test.ts"],
          exclude: ["**/node_modules/**"],
          testTimeout: 600_000,
          hookTimeout: 3_600_000,
          pool: "forks",
          // The integration group's limit: projects of one group must name the same one.
          maxWorkers: 3,
          globalSetup: ["packages/testkit/src/global-setup.ts"],
        },
      },
      {
        test: {
          name: "faults",
          // Last and one file at a time: each starts a sandbox of servers and breaks it (test/faults).
          sequence: { groupOrder: 2 },
          include: ["test/faults/**/*.int.test.ts"],
          exclude: ["**/node_modules/**"],
          // Ends by itself well before this: every wait in test/faults has its own bound.
          testTimeout: 600_000,
          hookTimeout: 240_000,
          pool: "forks",
          maxWorkers: 1,
          globalSetup: ["packages/testkit/src/global-setup.ts"],
        },
      },
    ],
  },
});
