import { describe, expect, it } from "vitest";
import { COMMANDS, parseCommandLine } from "../../stack/usage.js";

describe("the stack CLI's command line, read before anything starts", () => {
  it("--help, -h and help give the overview, which names every command", () => {
    for (const help of ["--help", "-h", "help"]) {
      const line = parseCommandLine([help]);
      expect(line.kind).toBe("help");
      for (const name of Object.keys(COMMANDS))
        expect(line.kind === "help" && line.text).toContain(`  ${name}`);
    }
  });

  it("a command's --help gives its usage instead of running it", () => {
    expect(parseCommandLine(["start", "--help"])).toMatchObject({
      kind: "help",
      text: expect.stringMatching(/^usage: pnpm stack start \[--detach\]/),
    });
    expect(parseCommandLine(["stop", "-h"])).toMatchObject({ kind: "help" });
    expect(parseCommandLine(["bench", "outbox", "--help"])).toMatchObject({ kind: "help" });
  });

  it("vitest's own arguments, after --, reach vitest: --help there is vitest's", () => {
    expect(parseCommandLine(["test", "--", "--help"])).toEqual({
      kind: "run",
      command: "test",
      args: ["--", "--help"],
    });
    expect(parseCommandLine(["test", "packages/bus", "--project", "unit"])).toEqual({
      kind: "run",
      command: "test",
      args: ["packages/bus", "--project", "unit"],
    });
  });

  it("runs a command with the arguments it takes", () => {
    expect(parseCommandLine(["start", "--detach"])).toEqual({
      kind: "run",
      command: "start",
      args: ["--detach"],
    });
    expect(parseCommandLine(["status"])).toEqual({ kind: "run", command: "status", args: [] });
    expect(parseCommandLine(["bench", "outbox", "calendar"])).toEqual({
      kind: "run",
      command: "bench",
      args: ["outbox", "calendar"],
    });
  });

  it.each([
    [[], /^stack: missing command/],
    [["frobnicate"], /^stack: unknown command "frobnicate"/],
    [["stop", "now"], /^stop: takes no arguments, got "now"/],
    [["start", "--deatch"], /^start: unknown argument "--deatch"/],
    [["bench", "--fast"], /^bench: unknown option "--fast"/],
    [["bench", "outbox", "nothing-like-it"], /^bench: no benchmark's path contains "nothing-like-it"/],
  ])("%j is a mistake said in one line, with where the usage is", (argv, says) => {
    const line = parseCommandLine(argv);
    expect(line.kind).toBe("error");
    if (line.kind !== "error") return;
    expect(line.message).toMatch(says);
    expect(line.message).toMatch(/\(pnpm stack (\w[\w-]* )?--help (lists them|shows its usage)\)$/);
    expect(line.message).not.toContain("\n");
  });
});
