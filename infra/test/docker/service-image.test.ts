import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { services as stackServices } from "../../stack/settings.js";
import { ROOT } from "../prometheus/promql.js";
import { readDockerfile } from "./compose-file.js";
import { undeclaredRuntimeImports } from "./runtime-imports.js";

/** infra/docker/service.Dockerfile, read for what the services need to start in it. */
const image = readDockerfile(join(ROOT, "infra", "docker", "service.Dockerfile"));
const rootPackage = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  packageManager: string;
  engines: { node: string };
  dependencies?: Record<string, string>;
};

describe("the services' image", () => {
  it("runs in production and listens on every interface", () => {
    expect(image.env.NODE_ENV).toBe("production");
    expect(image.env.HOST).toBe("0.0.0.0");
  });

  it("is built on the Node.js the project needs, with the pnpm of the lockfile", () => {
    const major = Number(/^node:(\d+)/.exec(image.from)?.[1]);
    expect(major).toBeGreaterThanOrEqual(Number(/\d+/.exec(rootPackage.engines.node)?.[0]));
    expect(image.run).toContain(`npm install -g ${rootPackage.packageManager}`);
  });

  it("installs the production dependencies from the lockfile", () => {
    expect(image.run).toContain("pnpm install --frozen-lockfile --prod");
  });

  it("starts the service named by SERVICE through tsx, which the production install has", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the shell's variable, not a template
    expect(image.cmd).toEqual(["sh", "-c", "exec node --import tsx services/${SERVICE}/src/main.ts"]);
    // `node --import tsx` resolves tsx from /app: a dependency of the root package, not a dev one.
    expect(rootPackage.dependencies?.tsx).toBeDefined();
    for (const s of stackServices)
      expect(existsSync(join(ROOT, "services", s.name, "src", "main.ts")), s.name).toBe(true);
  });

  it("has every package the services and the setup step import at run time (production dependencies only)", () => {
    const entries = [...stackServices.map((s) => `services/${s.name}/src/main.ts`), "infra/stack/cli.ts"];
    const { problems, modules } = undeclaredRuntimeImports(ROOT, entries);
    expect(problems).toEqual([]);
    // The walk reached the services' modules and the workspace packages they load.
    expect(modules).toBeGreaterThan(150);
  });
});
