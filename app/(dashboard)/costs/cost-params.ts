import { z } from "zod";
import type { CostFilter } from "@/lib/db/costs";
import { DEFAULT_RANGE_DAYS, RANGE_DAYS, type RangeDays } from "@/lib/cost/series";
import { isAwsRegion } from "@/lib/regions";

/**
 * The Costs page's URL contract, shared with its CSV downloads: `range` (days: 30, 90, 180 or 365;
 * default 90), `account` (a 12-digit linked account) and `region` (an AWS region). The page
 * ignores a bad value and says so; the CSV route refuses it with 400, naming the parameter.
 */

export interface CostParams {
  days: RangeDays;
  account?: string;
  region?: string;
}

const PARAMETERS = {
  range: z.enum(RANGE_DAYS.map(String) as [string, ...string[]], `must be one of ${RANGE_DAYS.join(", ")} (days)`).transform((v) => Number(v) as RangeDays),
  account: z.string().regex(/^\d{12}$/, "must be a 12-digit AWS account id"),
  region: z.string().refine(isAwsRegion, "must be an AWS region, e.g. us-east-1"),
} as const;

type Name = keyof typeof PARAMETERS;
const NAMES = Object.keys(PARAMETERS) as Name[];

type SearchParams = Record<string, string | string[] | undefined>;

function apply(params: CostParams, name: Name, value: unknown) {
  if (name === "range") params.days = value as RangeDays;
  else params[name] = value as string;
}

/** For the page: each bad or repeated value is ignored (and named), never an error page. An empty value ("All") is no filter. */
export function parseCostParams(search: SearchParams): { params: CostParams; ignored: string[] } {
  const params: CostParams = { days: DEFAULT_RANGE_DAYS };
  const ignored: string[] = [];
  for (const name of NAMES) {
    const raw = search[name];
    const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
    if (!value) continue;
    const parsed = PARAMETERS[name].safeParse(value);
    if (parsed.success) apply(params, name, parsed.data);
    else ignored.push(name);
  }
  return { params, ignored };
}

/** For the CSV route: the first unknown, repeated or bad parameter is refused with what is wrong with it. */
export function parseCostQuery(search: URLSearchParams): { ok: true; params: CostParams } | { ok: false; error: string } {
  const params: CostParams = { days: DEFAULT_RANGE_DAYS };
  for (const name of new Set(search.keys())) {
    if (!(NAMES as string[]).includes(name)) return { ok: false, error: `Unknown parameter "${name.slice(0, 40)}" (allowed: ${NAMES.join(", ")})` };
    const values = search.getAll(name);
    if (values.length > 1) return { ok: false, error: `Parameter "${name}" is given ${values.length} times; give it once` };
    const value = values[0].trim();
    if (!value) continue;
    const parsed = PARAMETERS[name as Name].safeParse(value);
    if (!parsed.success) return { ok: false, error: `Parameter "${name}" ${parsed.error.issues[0]?.message ?? "is not valid"}` };
    apply(params, name as Name, parsed.data);
  }
  return { ok: true, params };
}

export function costFilterOf(params: CostParams): CostFilter {
  return { accounts: params.account ? [params.account] : undefined, regions: params.region ? [params.region] : undefined };
}

/** The URL query for these parameters, the default range left out ("" when nothing is set). */
export function costQuery(params: CostParams): string {
  const query = new URLSearchParams();
  if (params.days !== DEFAULT_RANGE_DAYS) query.set("range", String(params.days));
  if (params.account) query.set("account", params.account);
  if (params.region) query.set("region", params.region);
  const text = query.toString();
  return text ? `?${text}` : "";
}
