import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

// What the app exposes, read from the source, so a test over "every action" or "every route"
// fails when a new one appears without its entry.

const ROOT = path.resolve(import.meta.dirname, "..");
const APP = path.join(ROOT, "app");
const ACTIONS = path.join(ROOT, "lib", "actions");
const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

/** Every exported server action in lib/actions (files starting with "use server"), sorted. */
export async function serverActionNames(): Promise<string[]> {
  const names: string[] = [];
  for (const file of await readdir(ACTIONS)) {
    if (!file.endsWith(".ts") || file.endsWith(".test.ts")) continue;
    const source = await readFile(path.join(ACTIONS, file), "utf8");
    if (!/^["']use server["'];/m.test(source)) continue;
    for (const match of source.matchAll(/^export (?:const|async function) (\w+)/gm)) names.push(match[1]);
  }
  return names.sort();
}

async function routeFiles(dir = APP): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await routeFiles(full)));
    else if (entry.name === "route.ts") files.push(full);
  }
  return files;
}

/** "<METHOD> <route path>" for every handler a route.ts exports (route groups left out), sorted. */
export async function routeHandlersInCode(): Promise<string[]> {
  const found: string[] = [];
  for (const file of await routeFiles()) {
    const source = await readFile(file, "utf8");
    const route = `/${path.relative(APP, path.dirname(file)).split(path.sep).filter((s) => !/^\(.*\)$/.test(s)).join("/")}`;
    for (const method of METHODS) {
      if (new RegExp(`export (?:const|async function|function) ${method}\\b|export const \\{[^}]*\\b${method}\\b[^}]*\\}`).test(source)) found.push(`${method} ${route}`);
    }
  }
  return found.sort();
}

type Handler = (request: Request, context: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

/** The handler behind "<METHOD> <route path>", imported from its route.ts. */
export async function routeHandler(key: string): Promise<Handler> {
  const [method, route] = key.split(" ");
  const handlers = (await import(/* @vite-ignore */ path.join(APP, ...route.split("/").slice(1), "route.ts"))) as Record<string, Handler>;
  return handlers[method];
}
