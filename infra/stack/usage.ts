import { benchFiles, selectBenchFiles } from "../../bench/files.js";
import { ROOT } from "./paths.js";

/** What a command of the stack CLI takes after its name. */
type Accepts = "nothing" | "detach" | "bench" | "vitest";

interface CommandSpec {
  args: string;
  /** One line, in the overview. */
  summary: string;
  /** More, in the command's own help. */
  details?: string;
  accepts: Accepts;
}

/** The commands of `pnpm stack` (`pnpm start`, `stop`, `test` and `bench` are four of them). */
export const COMMANDS = {
  start: {
    args: "[--detach]",
    summary: "Kafka, PostgreSQL, Redis, the four services and the demo data",
    details:
      "Follows the services' logs until Ctrl-C, which stops it all; the first start also acts out the last seven days of the province (DEMO_DOSSIERS). --detach (-d): returns once every service is healthy and the demo data loaded.",
    accepts: "detach",
  },
  stop: { args: "", summary: "stops the services and the broker the stack started", accepts: "nothing" },
  status: { args: "", summary: "what runs, where it listens, and the services' clock", accepts: "nothing" },
  setup: {
    args: "",
    summary: "roles, databases, schemas, migrations and topics on servers that already run",
    details: "docker compose runs it before the services (kafka-init).",
    accepts: "nothing",
  },
  "infra-up": {
    args: "",
    summary: "Kafka, PostgreSQL, Redis, the databases and the topics, without the services",
    accepts: "nothing",
  },
  "kafka-start": { args: "", summary: "starts the local Kafka broker", accepts: "nothing" },
  "kafka-stop": { args: "", summary: "stops the local Kafka broker", accepts: "nothing" },
  test: {
    args: "[vitest arguments]",
    summary: "typecheck, lint and every test against a real Kafka, PostgreSQL and Redis",
    details:
      "With arguments, vitest with them only (pnpm exec vitest --help lists vitest's; after --, --help goes to vitest).",
    accepts: "vitest",
  },
  "test-clocks": {
    args: "[--sample] [vitest arguments]",
    summary: "the tests again at the instants of the clock matrix",
    details:
      "The machine's clock is moved by libfaketime (Debian's faketime) to 07:29, 11:30, 16:59 and 17:00 of a weekday, a Saturday and a holiday; --sample: one instant of each kind of day. Default: the unit project.",
    accepts: "vitest",
  },
  bench: {
    args: "[word ...]",
    summary: "the benchmarks, each beside its baseline",
    details:
      "Only those whose path contains one of the words, when words are given. Figures in benchmarks/results.json and docs/performance.md.",
    accepts: "bench",
  },
} as const satisfies Record<string, CommandSpec>;

export type CommandName = keyof typeof COMMANDS;

export type CommandLine =
  | { kind: "help"; text: string }
  | { kind: "error"; message: string }
  | { kind: "run"; command: CommandName; args: string[] };

const isHelp = (a: string) => a === "--help" || a === "-h";

function overview(): string {
  const width = Math.max(...Object.entries(COMMANDS).map(([n, c]) => `${n} ${c.args}`.length));
  const lines = Object.entries(COMMANDS).map(
    ([name, c]) => `  ${`${name} ${c.args}`.trimEnd().padEnd(width)}  ${c.summary}`,
  );
  return `usage: pnpm stack <command> [arguments]
(pnpm start, pnpm stop, pnpm test and pnpm bench run the commands of the same name)

${lines.join("\n")}

pnpm stack <command> --help says more of one command.
`;
}

function commandHelp(name: CommandName, root: string): string {
  const c: CommandSpec = COMMANDS[name];
  const more =
    name === "bench"
      ? `\nThe benchmarks:\n${benchFiles(root)
          .map((f) => `  ${f}`)
          .join("\n")}\n`
      : "";
  const synopsis = `usage: pnpm stack ${name} ${c.args}`.trimEnd();
  const about = c.summary.charAt(0).toUpperCase() + c.summary.slice(1);
  return `${synopsis}\n\n${about}.${c.details ? ` ${c.details}` : ""}\n${more}`;
}

/**
 * Reads the stack CLI's arguments before anything starts: help, a mistake said in one sentence, or
 * the command to run. A command's own `--help` never runs it.
 */
export function parseCommandLine(argv: readonly string[], root: string = ROOT): CommandLine {
  const [first, ...args] = argv;
  if (first === undefined)
    return { kind: "error", message: "stack: missing command (pnpm stack --help lists them)" };
  if (isHelp(first) || first === "help") return { kind: "help", text: overview() };
  if (!Object.hasOwn(COMMANDS, first))
    return { kind: "error", message: `stack: unknown command "${first}" (pnpm stack --help lists them)` };
  const command = first as CommandName;
  const hint = `(pnpm stack ${command} --help shows its usage)`;
  // For vitest's arguments, what follows `--` is vitest's own.
  const ours = args.includes("--") ? args.slice(0, args.indexOf("--")) : args;
  if (ours.some(isHelp)) return { kind: "help", text: commandHelp(command, root) };
  const accepts: Accepts = COMMANDS[command].accepts;
  if (accepts === "nothing" && args.length > 0)
    return { kind: "error", message: `${command}: takes no arguments, got "${args[0]}" ${hint}` };
  if (accepts === "detach") {
    const other = args.find((a) => a !== "--detach" && a !== "-d");
    if (other !== undefined)
      return { kind: "error", message: `${command}: unknown argument "${other}" ${hint}` };
  }
  if (accepts === "bench") {
    const option = args.find((a) => a.startsWith("-"));
    if (option !== undefined) return { kind: "error", message: `bench: unknown option "${option}" ${hint}` };
    const unmatched = args.filter((w) => selectBenchFiles(root, [w]).length === 0);
    if (unmatched.length > 0)
      return {
        kind: "error",
        message: `bench: no benchmark's path contains "${unmatched[0]}" ${hint}`,
      };
  }
  return { kind: "run", command, args };
}
