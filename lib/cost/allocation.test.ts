import { describe, expect, it } from "vitest";
import { allocateMicros, allocateStorageCost, decimalToUnits, isStorageUsageType, listPriceMicros, storageCostByRegion } from "./allocation";

const GIB = 1024 ** 3;
const PRICES = { storagePricePerGbMonth: 0.1, regionStoragePrices: { "eu-central-1": 0.11 }, archivePricePerGbMonth: 0.01 };
const sum = (values: bigint[]) => values.reduce((a, b) => a + b, 0n);

describe("decimalToUnits", () => {
  it.each<[string, number, bigint]>([
    ["12.3456789", 6, 12_345_679n],
    ["12.3456784", 6, 12_345_678n],
    ["0.0000005", 6, 1n],
    ["-0.0000005", 6, -1n],
    ["3", 6, 3_000_000n],
    [".5", 2, 50n],
    ["-1.25", 10, -12_500_000_000n],
    ["0.1234567890", 10, 1_234_567_890n],
  ])("%s at 10^-%i is %s", (text, scale, expected) => {
    expect(decimalToUnits(text, scale)).toBe(expected);
  });

  it("refuses text that is not a number", () => {
    expect(() => decimalToUnits("1e5", 6)).toThrow(/not a decimal/);
    expect(() => decimalToUnits("", 6)).toThrow(/not a decimal/);
  });
});

describe("isStorageUsageType", () => {
  it.each<[string, boolean]>([
    ["USE1-TimedStorage-ByteHrs", true],
    ["EU-TimedStorage-ByteHrs", true],
    ["TimedStorage-ByteHrs", true],
    ["APS2-TimedStorage-Archive-ByteHrs", true],
    ["USE1-DataTransfer-Out-Bytes", false],
    ["USE1-EUC1-AWS-Out-Bytes", false],
    ["USE1-NotTimedStorageAtAll", false],
  ])("%s: %s", (usageType, expected) => {
    expect(isStorageUsageType(usageType)).toBe(expected);
  });
});

describe("storageCostByRegion", () => {
  it("sums storage usage types per account and billed region, exactly, and leaves transfer out", () => {
    const { costs, unknownUsageTypes } = storageCostByRegion([
      { accountId: "111111111111", usageType: "USE1-TimedStorage-ByteHrs", amount: "1.0000000004", estimated: false },
      { accountId: "111111111111", usageType: "TimedStorage-ByteHrs", amount: "0.0000000004", estimated: true },
      { accountId: "111111111111", usageType: "USE1-DataTransfer-Out-Bytes", amount: "99", estimated: false },
      { accountId: "111111111111", usageType: "EU-TimedStorage-ByteHrs", amount: "2.5000004", estimated: false },
      { accountId: "222222222222", usageType: "USE1-TimedStorage-ByteHrs", amount: "0.3333333333", estimated: false },
      { accountId: "222222222222", usageType: "XYZ9-TimedStorage-ByteHrs", amount: "5", estimated: false },
    ]);
    expect(costs).toEqual([
      // 1.0000000008 USD: the two usage types of us-east-1 (one without its code) together.
      { accountId: "111111111111", region: "eu-west-1", micros: 2_500_000n, estimated: false },
      { accountId: "111111111111", region: "us-east-1", micros: 1_000_000n, estimated: true },
      { accountId: "222222222222", region: "us-east-1", micros: 333_333n, estimated: false },
    ]);
    expect(unknownUsageTypes).toEqual(["XYZ9-TimedStorage-ByteHrs"]);
  });
});

describe("allocateMicros (largest remainder)", () => {
  it.each<[string, bigint, [string, bigint][], bigint[]]>([
    ["in proportion when it divides exactly", 1_000n, [["a", 1n], ["b", 3n]], [250n, 750n]],
    ["three equal shares of 100: the leftover micro goes to the smallest key", 100n, [["c", 1n], ["a", 1n], ["b", 1n]], [33n, 34n, 33n]],
    ["a total that divides exactly leaves no leftover", 10n, [["a", 7n], ["b", 2n], ["c", 1n]], [7n, 2n, 1n]],
    ["2 micros over equal weights go to the two smallest keys", 2n, [["z", 5n], ["y", 5n], ["x", 5n]], [0n, 1n, 1n]],
    ["a repository with no bytes gets nothing", 999n, [["a", 0n], ["b", 10n]], [0n, 999n]],
    ["a credit (negative total) is shared as its magnitude, negated", -100n, [["a", 1n], ["b", 2n]], [-33n, -67n]],
    ["zero cost gives zero shares", 0n, [["a", 5n], ["b", 6n]], [0n, 0n]],
    ["leftovers go to the largest remainders, not the largest shares", 10n, [["big", 60n], ["mid", 27n], ["small", 13n]], [6n, 3n, 1n]],
  ])("%s", (_label, total, shares, expected) => {
    const result = allocateMicros(total, shares.map(([key, weight]) => ({ key, weight })));
    expect(result).toEqual(expected);
    expect(sum(result)).toBe(total);
  });

  it("adds up exactly for awkward totals and weights (terabytes, odd micros)", () => {
    const weights = [1n, 7n * BigInt(GIB) + 3n, 123_456_789_012n, 5n * 1024n ** 4n, 999n, 2n ** 40n + 17n];
    for (const total of [1n, 7n, 1_000_003n, 987_654_321_987n, -55_555n]) {
      const result = allocateMicros(total, weights.map((weight, i) => ({ key: `arn:${i}`, weight })));
      expect(sum(result)).toBe(total);
      // Each share is within one micro of its exact proportion.
      const totalWeight = weights.reduce((a, b) => a + b, 0n);
      result.forEach((share, i) => {
        const exact = (Number(total) * Number(weights[i])) / Number(totalWeight);
        expect(Math.abs(Number(share) - exact)).toBeLessThan(1.000001);
      });
    }
  });

  it("refuses to allocate to no bytes at all", () => {
    expect(() => allocateMicros(10n, [{ key: "a", weight: 0n }])).toThrow(/no stored bytes/);
    expect(() => allocateMicros(10n, [])).toThrow(/no stored bytes/);
  });
});

describe("allocateStorageCost", () => {
  const repo = (name: string, accountId: string, region: string, storedBytes: number) => ({
    arn: `arn:aws:ecr:${region}:${accountId}:repository/${name}`,
    accountId,
    region,
    storedBytes,
    storedBytesExact: true,
  });

  it("shares each account-region's cost among its own repositories, with the list price beside it", () => {
    const repositories = [repo("a", "111111111111", "us-east-1", 3 * GIB), repo("b", "111111111111", "us-east-1", GIB), repo("c", "111111111111", "eu-central-1", 10 * GIB), repo("d", "222222222222", "us-east-1", GIB)];
    const costs = [
      { accountId: "111111111111", region: "us-east-1", micros: 400_001n, estimated: false },
      { accountId: "111111111111", region: "eu-central-1", micros: 1_200_000n, estimated: false },
    ];
    const { repositories: out, unallocated } = allocateStorageCost(repositories, costs, PRICES);
    const byName = new Map(out.map((r) => [r.arn.split("/").pop(), r]));
    expect(byName.get("a")).toMatchObject({ allocatedMicros: 300_001n, regionMicros: 400_001n, regionStoredBytes: 4 * GIB, listMicros: 300_000n });
    expect(byName.get("b")).toMatchObject({ allocatedMicros: 100_000n, listMicros: 100_000n });
    // eu-central-1's own price (0.11 per GB-month) for its list price.
    expect(byName.get("c")).toMatchObject({ allocatedMicros: 1_200_000n, listMicros: 1_100_000n });
    // No Cost Explorer storage cost for that account-region: unknown, not zero.
    expect(byName.get("d")).toMatchObject({ allocatedMicros: null, regionMicros: null, listMicros: 100_000n });
    expect(unallocated).toEqual([]);
  });

  it("reports a cost with no stored bytes to share it by as unallocated", () => {
    const costs = [
      { accountId: "111111111111", region: "us-west-2", micros: 5_000n, estimated: false },
      { accountId: "111111111111", region: "us-east-1", micros: 7_000n, estimated: true },
      { accountId: "111111111111", region: "eu-west-1", micros: 0n, estimated: false },
    ];
    const { repositories, unallocated } = allocateStorageCost([repo("empty", "111111111111", "us-east-1", 0)], costs, PRICES);
    expect(unallocated.map((u) => u.region)).toEqual(["us-west-2", "us-east-1"]);
    expect(repositories[0]).toMatchObject({ allocatedMicros: null, regionMicros: 7_000n, regionStoredBytes: 0 });
  });
});

describe("listPriceMicros", () => {
  it("is stored GiB times the region's price per GB-month", () => {
    expect(listPriceMicros(10 * GIB, "us-east-1", PRICES)).toBe(1_000_000n);
    expect(listPriceMicros(GIB / 2, "eu-central-1", PRICES)).toBe(55_000n);
    expect(listPriceMicros(0, "us-east-1", PRICES)).toBe(0n);
  });
});
