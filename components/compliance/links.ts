import { RESULT_STATUSES, type ControlSeverity, type ResultStatus } from "@/lib/compliance/types";
import { isAwsRegion } from "@/lib/regions";

/**
 * The compliance pages' URL contract: filters travel as search params so a view can be linked
 * and reloaded. Pure (no I/O): pages, the matrix and tests share it.
 */

export type SearchParams = Record<string, string | string[] | undefined>;

export const SEVERITIES: readonly ControlSeverity[] = ["critical", "high", "medium", "low"];

/** The first value of a search param, trimmed; undefined when absent or empty. */
export function firstParam(params: SearchParams, key: string): string | undefined {
  const raw = params[key];
  const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
  return value ? value : undefined;
}

/** `status=FAIL&status=ERROR` or `status=FAIL,ERROR`; unknown words are dropped. */
export function parseStatuses(params: SearchParams): ResultStatus[] {
  const raw = params.status;
  const words = (Array.isArray(raw) ? raw : raw ? [raw] : []).flatMap((v) => v.split(",")).map((v) => v.trim().toUpperCase());
  return RESULT_STATUSES.filter((s) => words.includes(s));
}

export function parseSeverities(params: SearchParams): ControlSeverity[] {
  const raw = params.severity;
  const words = (Array.isArray(raw) ? raw : raw ? [raw] : []).flatMap((v) => v.split(",")).map((v) => v.trim().toLowerCase());
  return SEVERITIES.filter((s) => words.includes(s));
}

export function parseAccountId(value: string | undefined): string | undefined {
  return value && /^\d{12}$/.test(value) ? value : undefined;
}

export function parseRegion(value: string | undefined): string | undefined {
  return value && isAwsRegion(value) ? value : undefined;
}

function query(params: Record<string, string | readonly string[] | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === "") continue;
    if (Array.isArray(value)) {
      if (value.length) search.set(key, value.join(","));
    } else search.set(key, value as string);
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

export interface MatrixQuery {
  byRegion?: boolean;
  status?: readonly ResultStatus[];
  severity?: readonly ControlSeverity[];
  environment?: string;
}

export function frameworkHref(framework: string, q: MatrixQuery = {}): string {
  return `/compliance/${encodeURIComponent(framework)}${query({
    by: q.byRegion ? "region" : undefined,
    status: q.status,
    severity: q.severity,
    environment: q.environment,
  })}`;
}

export interface ControlQuery {
  status?: readonly ResultStatus[];
  account?: string | null;
  region?: string | null;
  resource?: string;
  after?: string;
  except?: string;
}

export function controlHref(framework: string, control: string, q: ControlQuery = {}, hash?: string): string {
  return `/compliance/${encodeURIComponent(framework)}/${encodeURIComponent(control)}${query({
    status: q.status,
    account: q.account,
    region: q.region,
    resource: q.resource,
    after: q.after,
    except: q.except,
  })}${hash ? `#${hash}` : ""}`;
}

/** What a stored resource id names, for display and for its link. */
export type ResourceRef =
  | { kind: "repository"; accountId: string; region: string; name: string }
  | { kind: "registry"; accountId: string; region: string }
  | { kind: "account"; accountId: string }
  | { kind: "organization" }
  | { kind: "other"; id: string };

export function parseResource(resource: string): ResourceRef {
  const repo = /^arn:aws[a-z-]*:ecr:([a-z0-9-]+):(\d{12}):repository\/(.+)$/.exec(resource);
  if (repo) return { kind: "repository", region: repo[1], accountId: repo[2], name: repo[3] };
  const registry = /^registry\/(\d{12})\/([a-z0-9-]+)$/.exec(resource);
  if (registry) return { kind: "registry", accountId: registry[1], region: registry[2] };
  const account = /^account\/(\d{12})$/.exec(resource);
  if (account) return { kind: "account", accountId: account[1] };
  if (resource === "organization") return { kind: "organization" };
  return { kind: "other", id: resource };
}

/** "payments-api", "registry 111111111111 / us-east-1", "account 111111111111", "organization". */
export function resourceLabel(resource: string): string {
  const ref = parseResource(resource);
  switch (ref.kind) {
    case "repository":
      return ref.name;
    case "registry":
      return `registry ${ref.accountId} / ${ref.region}`;
    case "account":
      return `account ${ref.accountId}`;
    case "organization":
      return "organization";
    default:
      return ref.id;
  }
}
