import { faultScenario } from "./harness.js";

faultScenario("processing is killed (SIGKILL) during the load and started again", {
  seed: 22,
  fault: async (sandbox) => {
    await sandbox.killService("processing");
    await sandbox.startService("processing");
  },
});
