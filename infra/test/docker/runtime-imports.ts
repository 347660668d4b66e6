import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve } from "node:path";

interface PackageJson {
  name: string;
  exports?: Record<string, string>;
  dependencies?: Record<string, string>;
}

/** Imports that stay in the JavaScript: `import type` and `export type` are erased by tsx. */
const IMPORTS =
  /^\s*(?:import|export)\s+(?!type\b)(?:[^'"]*?\sfrom\s+)?["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/gm;

function packageOf(file: string): { dir: string; json: PackageJson } {
  let dir = dirname(file);
  while (!existsSync(join(dir, "package.json"))) dir = dirname(dir);
  return { dir, json: JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as PackageJson };
}

function bareName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

/**
 * Walks the modules a process loads from its entry files, as tsx resolves them in the image, and
 * lists every package a module imports that its own package.json does not list under
 * `dependencies`: with a production install (`pnpm install --prod`) such an import fails at start.
 * Workspace packages (`@tthc/...`) are followed into their `exports`.
 */
export function undeclaredRuntimeImports(
  root: string,
  entries: string[],
): { problems: string[]; modules: number } {
  const workspace = new Map<string, string>();
  for (const area of ["packages", "services", "infra"]) {
    const dirs = area === "infra" ? [join(root, "infra")] : listDirs(join(root, area));
    for (const dir of dirs) {
      const file = join(dir, "package.json");
      if (existsSync(file)) workspace.set((JSON.parse(readFileSync(file, "utf8")) as PackageJson).name, dir);
    }
  }
  const problems = new Set<string>();
  const seen = new Set<string>();
  const queue = entries.map((e) => resolve(root, e));
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, "utf8");
    const owner = packageOf(file);
    for (const m of text.matchAll(IMPORTS)) {
      const specifier = (m[1] ?? m[2])!;
      if (specifier.startsWith(".")) {
        const target = resolve(dirname(file), specifier).replace(/\.js$/, ".ts");
        if (existsSync(target)) queue.push(target);
        continue;
      }
      if (specifier.startsWith("node:") || builtinModules.includes(specifier)) continue;
      const name = bareName(specifier);
      if (!owner.json.dependencies?.[name])
        problems.add(`${relative(root, file)} imports ${name}, not in ${owner.json.name}'s dependencies`);
      const local = workspace.get(name);
      if (local) {
        const json = JSON.parse(readFileSync(join(local, "package.json"), "utf8")) as PackageJson;
        const target = json.exports?.[`.${specifier.slice(name.length)}`];
        if (target) queue.push(resolve(local, target));
      }
    }
  }
  return { problems: [...problems].sort(), modules: seen.size };
}

function listDirs(dir: string): string[] {
  return readdirSync(dir)
    .map((d) => join(dir, d))
    .filter((d) => statSync(d).isDirectory());
}
