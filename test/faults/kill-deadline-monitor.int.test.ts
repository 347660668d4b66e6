import { faultScenario } from "./harness.js";

faultScenario("the deadline monitor is killed (SIGKILL) during the load and started again", {
  seed: 23,
  fault: async (sandbox) => {
    await sandbox.killService("deadline-monitor");
    await sandbox.startService("deadline-monitor");
  },
});
