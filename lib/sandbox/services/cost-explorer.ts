import { createHash } from "node:crypto";
import { AwsError, validationError } from "../errors";
import type { SandboxOrganization } from "../organization";
import type { JsonService } from "../protocols";
import type { SandboxRequest } from "../request";
import { decodeToken, encodeToken } from "./pagination";

import {
  ECR_SERVICE_NAME,
  ESTIMATED_DAYS,
  HISTORY_MONTHS,
  addMonths,
  allSeries,
  dayOf,
  formatDay,
  historyStart,
  lastDataDay,
  monthStart,
  seriesExpectation,
  seriesValue,
  todayOf,
  type CostSeries,
} from "../cost-model";

/**
 * Cost Explorer (JSON 1.1, global: one endpoint in us-east-1, answered to the payer account only).
 *
 * It knows one service, ECR, and generates its daily cost per (linked account, region, usage type)
 * on demand from the seed: nothing is precomputed, and the only thing memoised is, per registry,
 * its usage types and its stored bytes (one number). Every amount is a pure function of
 * (seed, account, region, usage type, day), so a DAILY sum equals the MONTHLY figure and any
 * grouping sums to the ungrouped total.
 *
 * The cost model itself is lib/sandbox/cost-model.ts.
 */

/** Groups x periods in one GetCostAndUsage page before the answer is paged. */
const PAGE_CELLS = 500;
const DIMENSION_PAGE = 1000;

// ---------------------------------------------------------------------------------------------
// Dimensions and filters

const DIMENSIONS = new Set([
  "AZ", "INSTANCE_TYPE", "LINKED_ACCOUNT", "LINKED_ACCOUNT_NAME", "OPERATION", "PURCHASE_TYPE", "REGION", "SERVICE", "SERVICE_CODE",
  "USAGE_TYPE", "USAGE_TYPE_GROUP", "RECORD_TYPE", "OPERATING_SYSTEM", "TENANCY", "SCOPE", "PLATFORM", "SUBSCRIPTION_ID",
  "LEGAL_ENTITY_NAME", "DEPLOYMENT_OPTION", "DATABASE_ENGINE", "CACHE_ENGINE", "INSTANCE_TYPE_FAMILY", "BILLING_ENTITY",
  "RESERVATION_ID", "RESOURCE_ID", "RIGHTSIZING_TYPE", "SAVINGS_PLANS_TYPE", "SAVINGS_PLAN_ARN", "PAYMENT_OPTION",
  "AGREEMENT_END_DATE_TIME_AFTER", "AGREEMENT_END_DATE_TIME_BEFORE", "INVOICING_ENTITY", "ANOMALY_TOTAL_IMPACT_ABSOLUTE",
  "ANOMALY_TOTAL_IMPACT_PERCENTAGE",
]);

/** The dimensions the sandbox's cost rows carry; the rest are AWS dimensions ECR storage and transfer lack. */
function dimensionValue(org: SandboxOrganization, s: CostSeries, key: string): string | undefined {
  switch (key) {
    case "SERVICE":
      return ECR_SERVICE_NAME;
    case "SERVICE_CODE":
      return "AmazonECR";
    case "LINKED_ACCOUNT":
      return s.accountId;
    case "LINKED_ACCOUNT_NAME":
      return org.accounts.find((a) => a.id === s.accountId)?.name;
    case "REGION":
      return s.region;
    case "USAGE_TYPE":
      return s.usageType;
    case "RECORD_TYPE":
      return "Usage";
    case "BILLING_ENTITY":
      return "AWS";
    case "LEGAL_ENTITY_NAME":
    case "INVOICING_ENTITY":
      return "Amazon Web Services, Inc.";
    default:
      return undefined;
  }
}

const MODELLED = new Set(["SERVICE", "SERVICE_CODE", "LINKED_ACCOUNT", "LINKED_ACCOUNT_NAME", "REGION", "USAGE_TYPE", "RECORD_TYPE", "BILLING_ENTITY", "LEGAL_ENTITY_NAME", "INVOICING_ENTITY"]);

type Predicate = (s: CostSeries) => boolean;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

function stringList(value: unknown, field: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) throw validationError(`Invalid ${field}: expected a list of strings`);
  return value as string[];
}

function matcher(values: string[], options: string[]): (value: string | undefined) => boolean {
  const known = ["EQUALS", "ABSENT", "STARTS_WITH", "ENDS_WITH", "CONTAINS", "CASE_SENSITIVE", "CASE_INSENSITIVE", "GREATER_THAN_OR_EQUAL"];
  for (const o of options) if (!known.includes(o)) throw validationError(`1 validation error detected: Value '[${options.join(", ")}]' at 'filter.matchOptions' failed to satisfy constraint: Member must satisfy enum value set: [${known.join(", ")}]`);
  const insensitive = options.includes("CASE_INSENSITIVE");
  const norm = (v: string) => (insensitive ? v.toLowerCase() : v);
  const wanted = values.map(norm);
  const absent = options.includes("ABSENT");
  const test = options.includes("STARTS_WITH")
    ? (v: string) => wanted.some((w) => v.startsWith(w))
    : options.includes("ENDS_WITH")
      ? (v: string) => wanted.some((w) => v.endsWith(w))
      : options.includes("CONTAINS")
        ? (v: string) => wanted.some((w) => v.includes(w))
        : (v: string) => wanted.includes(v);
  return (value) => (value === undefined ? absent || wanted.includes("") : test(norm(value)));
}

const EXPRESSION_KEYS = ["And", "Or", "Not", "Dimensions", "Tags", "CostCategories"] as const;

/** An Expression as a predicate over series: every dimension the sandbox models is constant per series. */
function compileFilter(org: SandboxOrganization, expression: unknown): Predicate {
  if (!isRecord(expression)) throw validationError("Expression must be an object");
  const present = EXPRESSION_KEYS.filter((k) => expression[k] !== undefined && expression[k] !== null);
  if (present.length !== 1) throw validationError("Expression must have exactly one of And, Or, Not, Dimensions, Tags or CostCategories");
  const [kind] = present;
  if (kind === "And" || kind === "Or") {
    const operands = expression[kind];
    if (!Array.isArray(operands) || operands.length < 2) throw validationError(`${kind} expression must have at least 2 operands`);
    const compiled = operands.map((o) => compileFilter(org, o));
    return kind === "And" ? (s) => compiled.every((p) => p(s)) : (s) => compiled.some((p) => p(s));
  }
  if (kind === "Not") {
    const inner = compileFilter(org, expression.Not);
    return (s) => !inner(s);
  }
  const body = expression[kind];
  if (!isRecord(body)) throw validationError(`${kind} must be an object`);
  const values = stringList(body.Values, `${kind}.Values`);
  const options = stringList(body.MatchOptions, `${kind}.MatchOptions`);
  if (kind === "Dimensions") {
    const key = String(body.Key ?? "");
    if (!DIMENSIONS.has(key)) throw validationError(`1 validation error detected: Value '${key}' at 'filter.dimensions.key' failed to satisfy constraint: Member must satisfy enum value set: [${[...DIMENSIONS].join(", ")}]`);
    if (!MODELLED.has(key)) throw validationError(`Dimension ${key} is not allowed.`);
    if (values.length === 0) throw validationError(`Dimension ${key} must have at least one value`);
    const match = matcher(values, options);
    return (s) => match(dimensionValue(org, s, key));
  }
  // No cost row carries a tag or a cost category: only "absent" (or the empty value) matches.
  if (typeof body.Key !== "string" || !body.Key) throw validationError(`${kind}.Key is required`);
  const match = matcher(values, options);
  return () => match(undefined);
}

// ---------------------------------------------------------------------------------------------
// Input validation

interface Period {
  start: number;
  end: number;
}

function parseDate(value: unknown, field: "start" | "end"): number {
  const text = typeof value === "string" ? value : "";
  const match = /^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}:\d{2}Z)?$/.exec(text);
  if (!match) {
    throw validationError(`1 validation error detected: Value '${String(value)}' at 'timePeriod.${field}' failed to satisfy constraint: Member must satisfy regular expression pattern: (\\d{4}-\\d{2}-\\d{2})(T\\d{2}:\\d{2}:\\d{2}Z)?`);
  }
  if (match[4]) throw validationError("Hourly timePeriod is not supported for this request");
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) throw validationError(`Invalid date: ${text}`);
  return dayOf(date);
}

function timePeriod(value: unknown): Period & { text: { Start: string; End: string } } {
  if (!isRecord(value)) throw validationError("1 validation error detected: Value null at 'timePeriod' failed to satisfy constraint: Member must not be null");
  const start = parseDate(value.Start, "start");
  const end = parseDate(value.End, "end");
  return { start, end, text: { Start: String(value.Start), End: String(value.End) } };
}

/** A historical period, as GetCostAndUsage and GetDimensionValues validate it. */
function historicalPeriod(org: SandboxOrganization, value: unknown): Period {
  const period = timePeriod(value);
  const today = todayOf(org);
  if (period.start >= period.end) throw validationError("Start date (and hour) should be before end date (and hour)");
  if (period.start > today) throw validationError("Start date must be equal to or earlier than the current date");
  if (period.end > monthStart(addMonths(today, 1))) throw validationError("end date past the beginning of next month");
  const limit = addMonths(today, -HISTORY_MONTHS);
  if (period.start < limit && period.start !== monthStart(period.start)) {
    throw validationError("To retrieve data beyond the past 14 months, your start date needs to be the first day of the month.");
  }
  if (period.start < historyStart(org)) {
    throw new AwsError("DataUnavailableException", `Data is not available before ${formatDay(historyStart(org))}. Please adjust the time period.`);
  }
  return period;
}

function granularity(value: unknown, allowed: readonly string[]): "DAILY" | "MONTHLY" {
  if (value === undefined || value === null) throw validationError("1 validation error detected: Value null at 'granularity' failed to satisfy constraint: Member must not be null");
  if (value === "HOURLY") throw validationError("Hourly granularity is not enabled for this payer account. Enable it in the Cost Explorer preferences.");
  if (!allowed.includes(String(value))) {
    throw validationError(`1 validation error detected: Value '${String(value)}' at 'granularity' failed to satisfy constraint: Member must satisfy enum value set: [DAILY, MONTHLY, HOURLY]`);
  }
  return value as "DAILY" | "MONTHLY";
}

/** Splits [start, end) into days or calendar months. */
function periods({ start, end }: Period, grain: "DAILY" | "MONTHLY"): Period[] {
  const out: Period[] = [];
  for (let s = start; s < end; ) {
    const e = grain === "DAILY" ? s + 1 : Math.min(end, monthStart(addMonths(monthStart(s), 1)));
    out.push({ start: s, end: e });
    s = e;
  }
  return out;
}

const COST_METRICS = ["AmortizedCost", "BlendedCost", "NetAmortizedCost", "NetUnblendedCost", "UnblendedCost"];
const METRICS = [...COST_METRICS, "NormalizedUsageAmount", "UsageQuantity"];

function metrics(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) throw validationError("1 validation error detected: Value null at 'metrics' failed to satisfy constraint: Member must not be null");
  for (const m of value) {
    if (typeof m !== "string" || !METRICS.includes(m)) throw validationError(`Metric ${String(m)} is invalid. Valid values are ${METRICS.join(", ")}.`);
  }
  return [...new Set(value as string[])];
}

interface GroupKey {
  Type: string;
  Key: string;
  of(s: CostSeries): string;
}

const GROUPABLE = ["LINKED_ACCOUNT", "REGION", "USAGE_TYPE", "SERVICE", "RECORD_TYPE", "LEGAL_ENTITY_NAME", "INVOICING_ENTITY", "BILLING_ENTITY"];

function groupBy(org: SandboxOrganization, value: unknown): GroupKey[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw validationError("GroupBy must be a list");
  if (value.length > 2) throw validationError("Up to 2 group-by definitions are allowed");
  const out = value.map((g): GroupKey => {
    if (!isRecord(g) || typeof g.Key !== "string" || !g.Key) throw validationError("Group Definition key is required");
    const key = g.Key;
    const type = g.Type ?? "DIMENSION";
    if (type === "DIMENSION") {
      if (!GROUPABLE.includes(key)) throw validationError(`Group Definition dimension is invalid. Valid values are ${GROUPABLE.join(", ")}`);
      return { Type: "DIMENSION", Key: key, of: (s) => dimensionValue(org, s, key) ?? "" };
    }
    // No cost row carries a tag: AWS puts untagged usage under "<key>$".
    if (type === "TAG") return { Type: "TAG", Key: key, of: () => `${key}$` };
    if (type === "COST_CATEGORY") throw validationError(`Cost category ${key} does not exist`);
    throw validationError(`1 validation error detected: Value '${String(type)}' at 'groupBy.type' failed to satisfy constraint: Member must satisfy enum value set: [DIMENSION, TAG, COST_CATEGORY]`);
  });
  if (new Set(out.map((g) => `${g.Type}:${g.Key}`)).size !== out.length) throw validationError("Duplicate group-by definitions are not allowed");
  return out;
}

// ---------------------------------------------------------------------------------------------
// Answers

/** Amounts as AWS writes them: a decimal string, up to 10 places, no trailing zeros. */
function amount(value: number): string {
  if (Math.abs(value) < 5e-11) return "0";
  return value.toFixed(10).replace(/\.?0+$/, "");
}

interface Accumulator {
  cost: number;
  quantity: number;
  units: Set<string>;
}

const emptyAccumulator = (): Accumulator => ({ cost: 0, quantity: 0, units: new Set() });

function metricValues(acc: Accumulator, requested: string[]) {
  return Object.fromEntries(
    requested.map((m) => {
      if (COST_METRICS.includes(m)) return [m, { Amount: amount(acc.cost), Unit: "USD" }];
      // Usage across different units adds up to a number AWS labels N/A.
      if (m === "UsageQuantity") return [m, { Amount: amount(acc.quantity), Unit: acc.units.size === 1 ? [...acc.units][0] : "N/A" }];
      return [m, { Amount: "0", Unit: "N/A" }];
    }),
  );
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (isRecord(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** Ties a NextPageToken to the request it continues: a token from another request is refused. */
function fingerprint(operation: string, input: Record<string, unknown>): string {
  const { NextPageToken: _ignored, ...rest } = input;
  return createHash("sha256").update(`${operation}:${canonical(rest)}`).digest("hex").slice(0, 24);
}

function pageOffset(token: unknown, print: string): number {
  try {
    return decodeToken(token, print, "InvalidNextTokenException");
  } catch {
    throw new AwsError("InvalidNextTokenException", "The pagination token is invalid.");
  }
}

function requirePayer(org: SandboxOrganization, request: SandboxRequest) {
  if (request.caller.accountId === org.managementAccountId) return;
  const action = `ce:${request.operation}`;
  throw new AwsError(
    "AccessDeniedException",
    `User: ${request.caller.arn} is not authorized to perform: ${action} on resource: arn:aws:ce:us-east-1:${request.caller.accountId}:/${request.operation} because no identity-based policy allows the ${action} action`,
  );
}

function filtered(org: SandboxOrganization, filter: unknown): CostSeries[] {
  const all = allSeries(org);
  if (filter === undefined || filter === null) return all;
  const predicate = compileFilter(org, filter);
  return all.filter(predicate);
}

function getCostAndUsage(org: SandboxOrganization, request: SandboxRequest) {
  requirePayer(org, request);
  const { input } = request;
  const period = historicalPeriod(org, input.TimePeriod);
  const grain = granularity(input.Granularity, ["DAILY", "MONTHLY"]);
  const requested = metrics(input.Metrics);
  const groups = groupBy(org, input.GroupBy);
  const series = filtered(org, input.Filter);
  const print = fingerprint("GetCostAndUsage", input);
  const offset = pageOffset(input.NextPageToken, print);

  const buckets = periods(period, grain);
  const today = todayOf(org);
  const dataEnd = lastDataDay(org) + 1;
  const active = (s: CostSeries, b: Period) => Math.max(b.start, s.firstDay) < Math.min(b.end, dataEnd);

  // The groups and their series, in key order. Which groups a period has depends only on when
  // each series has data, so a page is located without computing any amount, and only the cells
  // on the page are summed: a year of daily groups for 100 accounts pages at the cost of one page.
  const byId = new Map<string, { keys: string[]; series: CostSeries[] }>();
  for (const s of series) {
    const keys = groups.map((g) => g.of(s));
    const id = JSON.stringify(keys);
    const group = byId.get(id);
    if (group) group.series.push(s);
    else byId.set(id, { keys, series: [s] });
  }
  const ordered = [...byId.values()].sort((a, b) => compareKeys(a.keys, b.keys));
  const groupsIn = (b: Period) => ordered.filter((g) => g.series.some((s) => active(s, b)));
  // Paging unit: one (period, group), or one period when ungrouped or when it has no group.
  const itemsIn = (b: Period) => (groups.length === 0 ? 1 : Math.max(1, groupsIn(b).length));
  const total = buckets.reduce((n, b) => n + itemsIn(b), 0);
  if (offset > 0 && offset >= total) throw new AwsError("InvalidNextTokenException", "The pagination token is invalid.");
  const next = offset + PAGE_CELLS < total ? encodeToken(offset + PAGE_CELLS, print) : undefined;

  const sum = (members: CostSeries[], b: Period): Accumulator => {
    const acc = emptyAccumulator();
    // Added in a fixed order (series, then day) so that answers are byte-stable.
    for (const s of members) {
      if (!active(s, b)) continue;
      acc.units.add(s.unit);
      for (let day = Math.max(b.start, s.firstDay); day < Math.min(b.end, dataEnd); day++) {
        const v = seriesValue(org, s, day);
        acc.cost += v.cost;
        acc.quantity += v.quantity;
      }
    }
    return acc;
  };

  const resultsByTime: unknown[] = [];
  const accountIds = new Set<string>();
  const accountGroup = groups.findIndex((g) => g.Type === "DIMENSION" && g.Key === "LINKED_ACCOUNT");
  let position = 0;
  for (const b of buckets) {
    const count = itemsIn(b);
    const from = Math.max(offset, position) - position;
    const to = Math.min(offset + PAGE_CELLS, position + count) - position;
    position += count;
    if (from >= to) continue;
    const entry = { TimePeriod: { Start: formatDay(b.start), End: formatDay(b.end) }, Total: {}, Groups: [] as unknown[], Estimated: b.end > today - ESTIMATED_DAYS };
    if (groups.length === 0) entry.Total = metricValues(sum(series, b), requested);
    else {
      for (const g of groupsIn(b).slice(from, to)) {
        entry.Groups.push({ Keys: g.keys, Metrics: metricValues(sum(g.series, b), requested) });
        if (accountGroup >= 0) accountIds.add(g.keys[accountGroup]);
      }
    }
    resultsByTime.push(entry);
  }

  return {
    ...(next ? { NextPageToken: next } : {}),
    ...(groups.length ? { GroupDefinitions: groups.map((g) => ({ Type: g.Type, Key: g.Key })) } : {}),
    ResultsByTime: resultsByTime,
    DimensionValueAttributes: [...accountIds].sort().map((id) => ({ Value: id, Attributes: { description: org.accounts.find((a) => a.id === id)?.name ?? id } })),
  };
}

function compareKeys(a: string[], b: string[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return (a[i] ?? "") < (b[i] ?? "") ? -1 : 1;
  }
  return 0;
}

/** The standard normal quantile (Acklam's rational approximation, relative error < 1.2e-9). */
function normalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  const tail = (q: number) => (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  if (p < low) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - low) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

const FORECAST_METRICS = ["AMORTIZED_COST", "BLENDED_COST", "NET_AMORTIZED_COST", "NET_UNBLENDED_COST", "UNBLENDED_COST"];

function getCostForecast(org: SandboxOrganization, request: SandboxRequest) {
  requirePayer(org, request);
  const { input } = request;
  const period = timePeriod(input.TimePeriod);
  const today = todayOf(org);
  const metric = input.Metric;
  if (typeof metric !== "string" || !FORECAST_METRICS.includes(metric)) {
    throw validationError(`1 validation error detected: Value '${String(metric)}' at 'metric' failed to satisfy constraint: Member must satisfy enum value set: [${FORECAST_METRICS.join(", ")}, USAGE_QUANTITY, NORMALIZED_USAGE_AMOUNT]`);
  }
  const grain = granularity(input.Granularity, ["DAILY", "MONTHLY"]);
  if (period.start >= period.end) throw validationError(`Requested Start: ${period.text.Start} must be before requested End: ${period.text.End}`);
  if (period.start < today) throw validationError(`Start date must be equal to or later than the current date: ${formatDay(today)}`);
  const horizon = grain === "DAILY" ? addMonths(today, 3) : addMonths(today, 18);
  if (period.end > horizon) throw validationError(`End date must be no later than ${formatDay(horizon)} for ${grain} granularity`);
  const levelInput = input.PredictionIntervalLevel ?? 80;
  if (typeof levelInput !== "number" || !Number.isInteger(levelInput) || levelInput < 51 || levelInput > 99) {
    throw validationError(`1 validation error detected: Value '${String(levelInput)}' at 'predictionIntervalLevel' failed to satisfy constraint: Member must have value between 51 and 99`);
  }
  const series = filtered(org, input.Filter);
  if (series.length === 0) throw new AwsError("DataUnavailableException", "Insufficient amount of historical data to generate forecast.");
  const z = normalQuantile(0.5 + levelInput / 200);

  let total = 0;
  const results = periods(period, grain).map((b) => {
    let mean = 0;
    let variance = 0;
    for (let day = b.start; day < b.end; day++) {
      for (const s of series) {
        const e = seriesExpectation(org, s, day);
        mean += e.mean;
        variance += e.sd * e.sd;
      }
    }
    total += mean;
    const spread = z * Math.sqrt(variance);
    return {
      TimePeriod: { Start: formatDay(b.start), End: formatDay(b.end) },
      MeanValue: amount(mean),
      PredictionIntervalLowerBound: amount(Math.max(0, mean - spread)),
      PredictionIntervalUpperBound: amount(mean + spread),
    };
  });
  return { Total: { Amount: amount(total), Unit: "USD" }, ForecastResultsByTime: results };
}

function getDimensionValues(org: SandboxOrganization, request: SandboxRequest) {
  requirePayer(org, request);
  const { input } = request;
  const period = historicalPeriod(org, input.TimePeriod);
  const dimension = String(input.Dimension ?? "");
  if (!DIMENSIONS.has(dimension)) {
    throw validationError(`1 validation error detected: Value '${dimension}' at 'dimension' failed to satisfy constraint: Member must satisfy enum value set: [${[...DIMENSIONS].join(", ")}]`);
  }
  const context = input.Context ?? "COST_AND_USAGE";
  if (!["COST_AND_USAGE", "RESERVATIONS", "SAVINGS_PLANS"].includes(String(context))) {
    throw validationError(`1 validation error detected: Value '${String(context)}' at 'context' failed to satisfy constraint: Member must satisfy enum value set: [COST_AND_USAGE, RESERVATIONS, SAVINGS_PLANS]`);
  }
  const search = input.SearchString === undefined ? undefined : String(input.SearchString).toLowerCase();
  const size = input.MaxResults === undefined ? DIMENSION_PAGE : Number(input.MaxResults);
  if (!Number.isInteger(size) || size < 1 || size > 10_000) throw validationError("1 validation error detected: Value at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 10000");
  const print = fingerprint("GetDimensionValues", input);
  const offset = pageOffset(input.NextPageToken, print);

  // No reservations or savings plans in the sandbox; and a dimension ECR rows lack has no values.
  const dataEnd = Math.min(period.end, lastDataDay(org) + 1);
  const values = new Set<string>();
  if (context === "COST_AND_USAGE") {
    for (const s of filtered(org, input.Filter)) {
      if (Math.max(period.start, s.firstDay) >= dataEnd) continue;
      const value = dimensionValue(org, s, dimension);
      if (value !== undefined && (search === undefined || value.toLowerCase().includes(search))) values.add(value);
    }
  }
  const all = [...values].sort();
  if (offset > 0 && offset >= all.length) throw new AwsError("InvalidNextTokenException", "The pagination token is invalid.");
  const slice = all.slice(offset, offset + size);
  const next = offset + size < all.length ? encodeToken(offset + size, print) : undefined;
  return {
    DimensionValues: slice.map((value) => ({
      Value: value,
      Attributes: dimension === "LINKED_ACCOUNT" ? { description: org.accounts.find((a) => a.id === value)?.name ?? value } : {},
    })),
    ReturnSize: slice.length,
    TotalSize: all.length,
    ...(next ? { NextPageToken: next } : {}),
  };
}

export function costExplorerService(org: SandboxOrganization): JsonService {
  return {
    protocol: "json",
    targetPrefix: "AWSInsightsIndexService",
    operations: {
      GetCostAndUsage: (request) => getCostAndUsage(org, request),
      GetCostForecast: (request) => getCostForecast(org, request),
      GetDimensionValues: (request) => getDimensionValues(org, request),
    },
  };
}
