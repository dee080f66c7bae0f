import type { Handler } from "./request";

/**
 * How each AWS service is spoken on the wire. The sandbox implements the three protocols the
 * collector's services use: JSON 1.1 (X-Amz-Target header), the query protocol (form body with
 * Action, XML answers) and REST JSON (method + path).
 */
export interface JsonService {
  protocol: "json";
  /** X-Amz-Target prefix, e.g. AmazonEC2ContainerRegistry_V20150921 */
  targetPrefix: string;
  operations: Record<string, Handler>;
}

export interface QueryService {
  protocol: "query";
  /** Error body layout: STS's <ErrorResponse> or EC2's <Response><Errors>. */
  errorStyle: "sts" | "ec2";
  operations: Record<string, Handler>;
  /** Renders an operation's result as the service's XML document. */
  render(operation: string, result: unknown, requestId: string): string;
}

export interface RestRoute {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** Path with {name} placeholders, e.g. /detector/{detectorId} */
  path: string;
  operation: string;
}

export interface RestJsonService {
  protocol: "rest-json";
  routes: RestRoute[];
  operations: Record<string, Handler>;
}

export type ServiceDefinition = JsonService | QueryService | RestJsonService;

/** Matches a REST route, returning its path parameters. */
export function matchRoute(route: RestRoute, method: string, pathname: string): Record<string, string> | undefined {
  if (route.method !== method) return undefined;
  const names: string[] = [];
  const pattern = new RegExp(
    `^${route.path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{(\w+)\}/g, (_m, name: string) => {
      names.push(name);
      return "([^/]+)";
    })}$`,
  );
  const match = pattern.exec(pathname);
  if (!match) return undefined;
  return Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(match[i + 1])]));
}

export const xmlEscape = (value: unknown) =>
  String(value).replace(/[<>&'"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", "'": "&apos;", '"': "&quot;" })[c]!);

/** JSON protocols send timestamps as epoch seconds (fractions allowed). */
export function toAwsJson(value: unknown): string {
  return JSON.stringify(value, function replacer(this: Record<string, unknown>, key, v) {
    const raw = this[key];
    if (raw instanceof Date) return raw.getTime() / 1000;
    return v;
  });
}
