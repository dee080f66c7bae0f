import {
  CostExplorerClient,
  type Expression,
  GetCostAndUsageCommand,
  type GetCostAndUsageCommandInput,
  type GetCostAndUsageCommandOutput,
  GetCostForecastCommand,
  GetDimensionValuesCommand,
  type Group,
} from "@aws-sdk/client-cost-explorer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getRegistry, registryStoredBytes } from "../ecr-model";
import { sandboxOptions } from "../options";
import { SANDBOX_EPOCH } from "../organization";
import { type RunningSandbox, startSandbox } from "../server";
import { type AwsCredentials, assumeManagementRole, assumeRole, clientConfig } from "../testing";
import { billingCode, dailyStorageCost, ECR_SERVICE_NAME } from "../cost-model";

const DAY = 86_400_000;
const ECR: Expression = { Dimensions: { Key: "SERVICE", Values: [ECR_SERVICE_NAME] } };

let sandbox: RunningSandbox;
let credentials: AwsCredentials;
let ce: CostExplorerClient;
beforeAll(async () => {
  sandbox = await startSandbox(sandboxOptions("demo", { seed: 3 }), { now: SANDBOX_EPOCH });
  credentials = await assumeManagementRole(sandbox, "cost");
  ce = new CostExplorerClient(clientConfig(sandbox, "us-east-1", credentials));
});
afterAll(() => sandbox.close());

const day = (offset: number) => new Date(sandbox.organization.now.getTime() + offset * DAY).toISOString().slice(0, 10);
const active = () => sandbox.organization.accounts.filter((a) => a.status === "ACTIVE");
const cost = (g: Group) => Number(g.Metrics!.UnblendedCost!.Amount);

/** Follows NextPageToken to the end (the SDK has no paginator for GetCostAndUsage), returning every page. */
async function allPages(client: CostExplorerClient, input: GetCostAndUsageCommandInput): Promise<GetCostAndUsageCommandOutput[]> {
  const pages: GetCostAndUsageCommandOutput[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new GetCostAndUsageCommand({ ...input, NextPageToken: token }));
    pages.push(page);
    token = page.NextPageToken;
  } while (token);
  return pages;
}

/** The ungrouped UnblendedCost per period start. */
async function totals(input: Omit<GetCostAndUsageCommandInput, "Metrics">): Promise<Map<string, number>> {
  const pages = await allPages(ce, { ...input, Metrics: ["UnblendedCost"] });
  expect(pages).toHaveLength(1);
  return new Map(pages[0].ResultsByTime!.map((r) => [r.TimePeriod!.Start!, Number(r.Total!.UnblendedCost!.Amount)]));
}

describe("GetCostAndUsage", () => {
  it("answers 30 days grouped by account and usage type, paged, each group once, for every active account", async () => {
    const pages = await allPages(ce, {
      TimePeriod: { Start: day(-30), End: day(0) },
      Granularity: "DAILY",
      Metrics: ["UnblendedCost", "UsageQuantity"],
      Filter: ECR,
      GroupBy: [
        { Type: "DIMENSION", Key: "LINKED_ACCOUNT" },
        { Type: "DIMENSION", Key: "USAGE_TYPE" },
      ],
    });
    expect(pages.length).toBeGreaterThan(1);

    const seen = new Set<string>();
    const estimated = new Map<string, boolean>();
    const accounts = new Set<string>();
    const perDay = new Map<string, number>();
    const usageTypes = new Set<string>();
    for (const page of pages) {
      expect(page.GroupDefinitions).toEqual([
        { Type: "DIMENSION", Key: "LINKED_ACCOUNT" },
        { Type: "DIMENSION", Key: "USAGE_TYPE" },
      ]);
      const described = new Map(page.DimensionValueAttributes!.map((d) => [d.Value!, d.Attributes!.description]));
      for (const result of page.ResultsByTime!) {
        const start = result.TimePeriod!.Start!;
        estimated.set(start, result.Estimated!);
        for (const group of result.Groups!) {
          const [account, usageType] = group.Keys!;
          const id = `${start}/${account}/${usageType}`;
          expect(seen.has(id), id).toBe(false);
          seen.add(id);
          accounts.add(account);
          usageTypes.add(usageType);
          expect(described.get(account)).toBe(sandbox.organization.accounts.find((a) => a.id === account)!.name);
          const { UnblendedCost, UsageQuantity } = group.Metrics!;
          expect(UnblendedCost!.Unit).toBe("USD");
          expect(UnblendedCost!.Amount).toMatch(/^\d+(\.\d{1,10})?$/);
          expect(cost(group)).toBeGreaterThanOrEqual(0);
          expect(Number(UsageQuantity!.Amount)).toBeGreaterThanOrEqual(0);
          expect(UsageQuantity!.Unit).toBe(usageType.endsWith("-TimedStorage-ByteHrs") ? "GB-Mo" : "GB");
          perDay.set(start, (perDay.get(start) ?? 0) + cost(group));
        }
      }
    }

    expect([...accounts].sort()).toEqual(active().map((a) => a.id).sort());
    expect([...estimated.keys()]).toEqual(Array.from({ length: 30 }, (_, i) => day(i - 30)));
    expect([...estimated.entries()].filter(([, e]) => e).map(([d]) => d)).toEqual([day(-2), day(-1)]);
    for (const type of usageTypes) expect(type).toMatch(/^(USE1|EU)-(TimedStorage-ByteHrs|DataTransfer-Out-Bytes|DataTransfer-Regional-Bytes|(USE1|EU)-AWS-Out-Bytes)$/);
    expect(usageTypes).toContain("USE1-TimedStorage-ByteHrs");
    expect(usageTypes).toContain("EU-TimedStorage-ByteHrs");

    // Grouped by account and usage type, each day sums to the ungrouped total.
    const ungrouped = await totals({ TimePeriod: { Start: day(-30), End: day(0) }, Granularity: "DAILY", Filter: ECR });
    expect([...ungrouped.keys()]).toEqual([...perDay.keys()]);
    for (const [start, total] of ungrouped) expect(perDay.get(start)!).toBeCloseTo(total, 6);
  });

  it("sums DAILY to MONTHLY, and LINKED_ACCOUNT groups to the total, for a whole month and a filtered one", async () => {
    const month = { Start: "2026-09-01", End: "2026-10-01" };
    const [usEast] = sandbox.organization.options.regions;
    const filters: Expression[] = [ECR, { And: [ECR, { Dimensions: { Key: "REGION", Values: [usEast] } }] }];
    for (const filter of filters) {
      const daily = await totals({ TimePeriod: month, Granularity: "DAILY", Filter: filter });
      const monthly = await totals({ TimePeriod: month, Granularity: "MONTHLY", Filter: filter });
      expect(daily.size).toBe(30);
      expect(monthly.size).toBe(1);
      const monthTotal = monthly.get(month.Start)!;
      expect(monthTotal).toBeGreaterThan(0);
      expect([...daily.values()].reduce((a, b) => a + b, 0)).toBeCloseTo(monthTotal, 6);

      const [byAccount] = await allPages(ce, { TimePeriod: month, Granularity: "MONTHLY", Metrics: ["UnblendedCost"], Filter: filter, GroupBy: [{ Type: "DIMENSION", Key: "LINKED_ACCOUNT" }] });
      const groups = byAccount.ResultsByTime![0].Groups!;
      expect(groups).toHaveLength(active().length);
      expect(groups.reduce((s, g) => s + cost(g), 0)).toBeCloseTo(monthTotal, 6);
    }
  });

  it("charges storage as the pure model says: storedGiB x $0.10 / days in month, growing towards today", async () => {
    const org = sandbox.organization;
    // Two accounts that were already in the organisation a year ago (an account has costs from the day it joined).
    const [first, second] = active().filter((a) => a.joinedAt.getTime() < Date.parse("2025-10-01"));
    for (const [account, region] of [
      [first, org.options.regions[0]],
      [second, org.options.regions[1]],
    ] as const) {
      const usageType = `${billingCode(region)}-TimedStorage-ByteHrs`;
      const [page] = await allPages(ce, {
        TimePeriod: { Start: day(-10), End: day(0) },
        Granularity: "DAILY",
        Metrics: ["UnblendedCost", "UsageQuantity"],
        Filter: {
          And: [
            { Dimensions: { Key: "LINKED_ACCOUNT", Values: [account.id] } },
            { Dimensions: { Key: "REGION", Values: [region] } },
            { Dimensions: { Key: "USAGE_TYPE", Values: [usageType] } },
          ],
        },
      });
      for (const result of page.ResultsByTime!) {
        const date = result.TimePeriod!.Start!;
        const expected = dailyStorageCost(org, account.id, region, date);
        expect(Number(result.Total!.UnblendedCost!.Amount)).toBeCloseTo(expected, 9);
        expect(Number(result.Total!.UsageQuantity!.Amount) * 0.1).toBeCloseTo(expected, 9);
        expect(result.Total!.UsageQuantity!.Unit).toBe("GB-Mo");
      }
      // Consistent with the registry's stored bytes today, and fewer bytes a year ago.
      const yesterday = day(-1);
      const daysInMonth = new Date(Date.UTC(Number(yesterday.slice(0, 4)), Number(yesterday.slice(5, 7)), 0)).getUTCDate();
      const fromBytes = ((registryStoredBytes(org, account.id, region) / 1024 ** 3) * 0.1) / daysInMonth;
      const ratio = dailyStorageCost(org, account.id, region, yesterday) / fromBytes;
      expect(ratio).toBeGreaterThan(0.99);
      expect(ratio).toBeLessThanOrEqual(1);
      const yearAgo = dailyStorageCost(org, account.id, region, "2025-10-31") / dailyStorageCost(org, account.id, region, "2026-10-31");
      expect(yearAgo).toBeGreaterThan(1 / 1.95);
      expect(yearAgo).toBeLessThan(1 / 1.2);
      expect(dailyStorageCost(org, account.id, region, day(0))).toBe(0);
    }
  });

  it("answers zero for another service, and every metric AWS knows", async () => {
    const [other] = await allPages(ce, {
      TimePeriod: { Start: day(-3), End: day(0) },
      Granularity: "DAILY",
      Metrics: ["UnblendedCost", "BlendedCost", "AmortizedCost", "NetUnblendedCost", "UsageQuantity"],
      Filter: { Dimensions: { Key: "SERVICE", Values: ["Amazon Elastic Compute Cloud - Compute"] } },
    });
    expect(other.ResultsByTime).toHaveLength(3);
    for (const r of other.ResultsByTime!) {
      expect(r.Total!.UnblendedCost).toEqual({ Amount: "0", Unit: "USD" });
      expect(r.Total!.BlendedCost).toEqual({ Amount: "0", Unit: "USD" });
    }
    const [ecr] = await allPages(ce, { TimePeriod: { Start: day(-3), End: day(0) }, Granularity: "DAILY", Metrics: ["UnblendedCost", "BlendedCost", "AmortizedCost", "NetUnblendedCost"], Filter: ECR });
    for (const r of ecr.ResultsByTime!) {
      const t = r.Total!;
      expect(Number(t.UnblendedCost!.Amount)).toBeGreaterThan(0);
      expect([t.BlendedCost, t.AmortizedCost, t.NetUnblendedCost]).toEqual([t.UnblendedCost, t.UnblendedCost, t.UnblendedCost]);
    }
  });

  it("refuses a member account's session with AccessDeniedException", async () => {
    const member = new CostExplorerClient(clientConfig(sandbox, "us-east-1", await assumeRole(sandbox, active()[0].id)));
    await expect(member.send(new GetCostAndUsageCommand({ TimePeriod: { Start: day(-3), End: day(0) }, Granularity: "DAILY", Metrics: ["UnblendedCost"] }))).rejects.toMatchObject({
      name: "AccessDeniedException",
      message: expect.stringMatching(/is not authorized to perform: ce:GetCostAndUsage/),
    });
    await expect(member.send(new GetDimensionValuesCommand({ TimePeriod: { Start: day(-3), End: day(0) }, Dimension: "USAGE_TYPE" }))).rejects.toMatchObject({ name: "AccessDeniedException" });
  });

  it("answers bad input with the SDK's named exceptions", async () => {
    const base: GetCostAndUsageCommandInput = { TimePeriod: { Start: day(-10), End: day(0) }, Granularity: "DAILY", Metrics: ["UnblendedCost"] };
    const send = (input: Partial<GetCostAndUsageCommandInput>) => ce.send(new GetCostAndUsageCommand({ ...base, ...input }));
    await expect(send({ TimePeriod: { Start: day(0), End: day(-10) } })).rejects.toMatchObject({ name: "ValidationException", message: "Start date (and hour) should be before end date (and hour)", $metadata: { httpStatusCode: 400 } });
    await expect(send({ TimePeriod: { Start: "2026-02-30", End: day(0) } })).rejects.toMatchObject({ name: "ValidationException" });
    await expect(send({ TimePeriod: { Start: day(-10), End: "2027-01-01" } })).rejects.toMatchObject({ name: "ValidationException", message: "end date past the beginning of next month" });
    await expect(send({ Granularity: "HOURLY" })).rejects.toMatchObject({ name: "ValidationException" });
    await expect(send({ Metrics: ["UnblendedCosts"] })).rejects.toMatchObject({ name: "ValidationException" });
    await expect(send({ GroupBy: [{ Type: "DIMENSION", Key: "LINKED_ACCOUNT" }, { Type: "DIMENSION", Key: "REGION" }, { Type: "DIMENSION", Key: "USAGE_TYPE" }] })).rejects.toMatchObject({ name: "ValidationException" });
    await expect(send({ Filter: { And: [ECR] } })).rejects.toMatchObject({ name: "ValidationException", message: "And expression must have at least 2 operands" });
    await expect(send({ NextPageToken: "bm9wZQ==" })).rejects.toMatchObject({ name: "InvalidNextTokenException" });
    // A token from another request is refused too.
    const first = await send({ TimePeriod: { Start: day(-30), End: day(0) }, GroupBy: [{ Type: "DIMENSION", Key: "LINKED_ACCOUNT" }, { Type: "DIMENSION", Key: "USAGE_TYPE" }] });
    expect(first.NextPageToken).toBeDefined();
    await expect(send({ NextPageToken: first.NextPageToken })).rejects.toMatchObject({ name: "InvalidNextTokenException" });
    // History: 14 months back, from the first of a month.
    await expect(send({ TimePeriod: { Start: "2025-08-15", End: "2025-10-01" } })).rejects.toMatchObject({ name: "ValidationException" });
    await expect(send({ TimePeriod: { Start: "2025-08-01", End: "2025-10-01" } })).rejects.toMatchObject({ name: "DataUnavailableException" });
    await expect(send({ TimePeriod: { Start: "2025-09-01", End: "2025-10-01" }, Granularity: "MONTHLY" })).resolves.toMatchObject({ ResultsByTime: [{ Estimated: false }] });
  });
});

describe("GetCostForecast", () => {
  it("forecasts from today with lower <= mean <= upper, a Total that sums the periods, and wider bounds at 99%", async () => {
    for (const Granularity of ["DAILY", "MONTHLY"] as const) {
      const out = await ce.send(new GetCostForecastCommand({ TimePeriod: { Start: day(0), End: Granularity === "DAILY" ? day(14) : "2027-02-01" }, Metric: "UNBLENDED_COST", Granularity, Filter: ECR }));
      const results = out.ForecastResultsByTime!;
      expect(results).toHaveLength(Granularity === "DAILY" ? 14 : 3);
      expect(results[0].TimePeriod!.Start).toBe(day(0));
      let sum = 0;
      for (const r of results) {
        const [low, mean, high] = [r.PredictionIntervalLowerBound, r.MeanValue, r.PredictionIntervalUpperBound].map(Number);
        expect(mean).toBeGreaterThan(0);
        expect(low).toBeLessThanOrEqual(mean);
        expect(mean).toBeLessThanOrEqual(high);
        sum += mean;
      }
      expect(out.Total!.Unit).toBe("USD");
      expect(Number(out.Total!.Amount)).toBeCloseTo(sum, 6);
    }
    const at = async (PredictionIntervalLevel: number) => {
      const out = await ce.send(new GetCostForecastCommand({ TimePeriod: { Start: day(0), End: "2026-12-01" }, Metric: "UNBLENDED_COST", Granularity: "MONTHLY", PredictionIntervalLevel }));
      const r = out.ForecastResultsByTime![0];
      return Number(r.PredictionIntervalUpperBound) - Number(r.PredictionIntervalLowerBound);
    };
    expect(await at(99)).toBeGreaterThan(await at(80));
  });

  it("refuses a start in the past, reversed dates, HOURLY and an out-of-range interval level", async () => {
    const send = (input: Partial<ConstructorParameters<typeof GetCostForecastCommand>[0]>) =>
      ce.send(new GetCostForecastCommand({ TimePeriod: { Start: day(0), End: day(10) }, Metric: "UNBLENDED_COST", Granularity: "DAILY", ...input }));
    await expect(send({ TimePeriod: { Start: day(-1), End: day(10) } })).rejects.toMatchObject({ name: "ValidationException" });
    await expect(send({ TimePeriod: { Start: day(10), End: day(2) } })).rejects.toMatchObject({ name: "ValidationException", message: `Requested Start: ${day(10)} must be before requested End: ${day(2)}` });
    await expect(send({ Granularity: "HOURLY" })).rejects.toMatchObject({ name: "ValidationException" });
    await expect(send({ PredictionIntervalLevel: 50 })).rejects.toMatchObject({ name: "ValidationException" });
    await expect(send({ Metric: "USAGE_QUANTITY" })).rejects.toMatchObject({ name: "ValidationException" });
  });
});

describe("GetDimensionValues", () => {
  it("lists an inter-region usage type for exactly the accounts whose registries replicate", async () => {
    const org = sandbox.organization;
    const TimePeriod = { Start: day(-30), End: day(0) };
    const interRegion = (values: string[]) => values.filter((v) => /^[A-Z0-9]+-[A-Z0-9]+-AWS-Out-Bytes$/.test(v));
    let anyReplicates = false;
    for (const account of active()) {
      const out = await ce.send(new GetDimensionValuesCommand({ TimePeriod, Dimension: "USAGE_TYPE", Filter: { Dimensions: { Key: "LINKED_ACCOUNT", Values: [account.id] } } }));
      const values = out.DimensionValues!.map((v) => v.Value!);
      expect(out.ReturnSize).toBe(values.length);
      expect(out.TotalSize).toBe(values.length);
      const replicates = account.regions.some((r) => getRegistry(org, account.id, r).replicationRules.length > 0);
      anyReplicates ||= replicates;
      expect(interRegion(values).length > 0, account.id).toBe(replicates);
      for (const region of account.regions) expect(values).toContain(`${billingCode(region)}-TimedStorage-ByteHrs`);
    }
    const all = await ce.send(new GetDimensionValuesCommand({ TimePeriod, Dimension: "USAGE_TYPE", Filter: ECR }));
    expect(interRegion(all.DimensionValues!.map((v) => v.Value!)).length > 0).toBe(anyReplicates);
    const searched = await ce.send(new GetDimensionValuesCommand({ TimePeriod, Dimension: "USAGE_TYPE", SearchString: "aws-out" }));
    expect(searched.DimensionValues!.map((v) => v.Value)).toEqual(interRegion(all.DimensionValues!.map((v) => v.Value!)));
  });

  it("lists the linked accounts with their names, and the service", async () => {
    const TimePeriod = { Start: day(-30), End: day(0) };
    const accounts = await ce.send(new GetDimensionValuesCommand({ TimePeriod, Dimension: "LINKED_ACCOUNT" }));
    expect(accounts.DimensionValues).toEqual(
      active()
        .map((a) => ({ Value: a.id, Attributes: { description: a.name } }))
        .sort((a, b) => (a.Value < b.Value ? -1 : 1)),
    );
    const services = await ce.send(new GetDimensionValuesCommand({ TimePeriod, Dimension: "SERVICE" }));
    expect(services.DimensionValues!.map((v) => v.Value)).toEqual([ECR_SERVICE_NAME]);
    await expect(ce.send(new GetDimensionValuesCommand({ TimePeriod, Dimension: "NOT_A_DIMENSION" as "SERVICE" }))).rejects.toMatchObject({ name: "ValidationException" });
  });
});

describe("determinism", () => {
  it("gives byte-identical answers for the same seed and different ones for another seed", async () => {
    const input: GetCostAndUsageCommandInput = {
      TimePeriod: { Start: "2026-08-01", End: day(0) },
      Granularity: "DAILY",
      Metrics: ["UnblendedCost", "UsageQuantity"],
      GroupBy: [{ Type: "DIMENSION", Key: "REGION" }, { Type: "DIMENSION", Key: "USAGE_TYPE" }],
    };
    const answer = async (seed: number) => {
      const other = await startSandbox(sandboxOptions("demo", { seed }), { now: SANDBOX_EPOCH });
      try {
        const client = new CostExplorerClient(clientConfig(other, "us-east-1", await assumeManagementRole(other, "cost")));
        const pages = await allPages(client, input);
        const forecast = await client.send(new GetCostForecastCommand({ TimePeriod: { Start: day(0), End: "2027-01-01" }, Metric: "UNBLENDED_COST", Granularity: "MONTHLY" }));
        return JSON.stringify([...pages, forecast].map(({ $metadata: _metadata, ...rest }) => rest));
      } finally {
        await other.close();
      }
    };
    const [a, b, c] = await Promise.all([answer(3), answer(3), answer(4)]);
    expect(a.length).toBeGreaterThan(1000);
    expect(b).toBe(a);
    expect(c).not.toBe(a);
  });

  // Its start-up time is measured by bench/sandbox-scale.mjs, not here.
  it("answers one account of the 100-account scale organisation on demand", async () => {
    const scale = await startSandbox(sandboxOptions("scale", { seed: 3 }));
    try {
      const client = new CostExplorerClient(clientConfig(scale, "us-east-1", await assumeManagementRole(scale, "cost")));
      const account = scale.organization.accounts[42];
      const [page] = await allPages(client, {
        TimePeriod: { Start: "2026-10-01", End: "2026-11-01" },
        Granularity: "MONTHLY",
        Metrics: ["UnblendedCost"],
        Filter: { Dimensions: { Key: "LINKED_ACCOUNT", Values: [account.id] } },
        GroupBy: [{ Type: "DIMENSION", Key: "REGION" }],
      });
      expect(page.ResultsByTime![0].Groups!.map((g) => g.Keys![0]).sort()).toEqual([...account.regions].sort());
    } finally {
      await scale.close();
    }
  });
});
