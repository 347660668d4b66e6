import { faultScenario } from "./harness.js";

faultScenario("statistics is killed (SIGKILL) during the load and started again", {
  seed: 24,
  fault: async (sandbox) => {
    await sandbox.killService("statistics");
    await sandbox.startService("statistics");
  },
});
