import { faultScenario } from "./harness.js";

faultScenario("Redis loses its data (FLUSHALL) during the load", {
  seed: 27,
  fault: async (sandbox) => {
    await sandbox.flushRedis();
  },
});
