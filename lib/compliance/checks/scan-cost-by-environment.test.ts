import { describe, expect, it } from "vitest";
import type { RegistryFacts, RepositoryFacts } from "../types";
import { scanCostByEnvironment } from "./scan-cost-by-environment";
import { ACCOUNT, checkContext, daysAgo, imageFacts, readErrors, registryFacts as registry, repositoryFacts as repo, scanRule as rule } from "./testing";

const ctx = (accountEnvironment?: string) => checkContext({ accountEnvironments: new Map(accountEnvironment ? [[ACCOUNT, accountEnvironment]] : []) });
const named = (name: string, overrides: Partial<RepositoryFacts> = {}) => repo({ name, arn: `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/${name}`, ...overrides });
const tagged = (name: string, environment: string, overrides: Partial<RepositoryFacts> = {}) => named(name, { tags: [{ key: "environment", value: environment }], ...overrides });

const enhancedAll = registry({ scanType: "ENHANCED", scanRules: [rule("CONTINUOUS_SCAN", "*"), rule("SCAN_ON_PUSH", "*")] });
const enhancedApi = registry({ scanType: "ENHANCED", scanRules: [rule("CONTINUOUS_SCAN", "*api*"), rule("SCAN_ON_PUSH", "worker")] });
const basicProd = registry({ scanRules: [rule("SCAN_ON_PUSH", "prod*", "api")] });

describe("scan-cost-by-environment", () => {
  it.each<[string, RegistryFacts, RepositoryFacts[], string | undefined, string, string]>([
    ["PASS: a prod account scanning everything continuously", enhancedAll, [named("team/api"), named("team/web")], "prod", "PASS", "The ENHANCED registry scans by environment: 2 prod repositories all scanned, 0 dev"],
    ["PASS: a dev account in a BASIC registry", registry({ scanRules: [rule("SCAN_ON_PUSH", "*")] }), [named("team/api")], "dev", "PASS", "0 prod repositories all scanned, 1 dev repositories none scanned continuously"],
    ["PASS: ENHANCED rules that exclude dev repositories", registry({ scanType: "ENHANCED", scanRules: [rule("CONTINUOUS_SCAN", "prod*")] }), [named("prod-orders"), named("dev-orders")], undefined, "PASS", "1 prod repositories all scanned, 1 dev"],
    ["PASS: dev scanned on push in an ENHANCED registry", enhancedApi, [named("team/worker")], "dev", "PASS", "1 dev repositories none scanned continuously"],
    ["PASS: a MANUAL repository of neither environment", basicProd, [named("team/web")], "staging", "PASS", "(1 of neither environment)"],
    ["FAIL: a dev account paying for continuous scans", enhancedApi, [named("team/orders-api"), named("team/worker"), named("team/legacy")], "dev", "FAIL", "1 repository is scanned against its environment's rule (dev scanned continuously, or prod left MANUAL): team/orders-api (dev, CONTINUOUS_SCAN)"],
    ["FAIL: a prod repository left MANUAL", basicProd, [named("team/orders-api"), named("team/web")], "production", "FAIL", "team/web (prod, MANUAL)"],
    ["FAIL: prod by tag in a shared account", basicProd, [tagged("team/web", "prod")], "shared", "FAIL", "team/web (prod, MANUAL)"],
    ["FAIL: dev by name pattern", enhancedAll, [named("dev-tools"), named("team/web")], undefined, "FAIL", "dev-tools (dev, CONTINUOUS_SCAN)"],
    [
      "FAIL: lists five and counts the rest",
      enhancedAll,
      ["a", "b", "c", "d", "e", "f", "g"].map((s) => named(`team/${s}`)),
      "dev",
      "FAIL",
      "7 repositories are scanned against their environment's rule (dev scanned continuously, or prod left MANUAL): team/a (dev, CONTINUOUS_SCAN), team/b (dev, CONTINUOUS_SCAN), team/c (dev, CONTINUOUS_SCAN), team/d (dev, CONTINUOUS_SCAN), team/e (dev, CONTINUOUS_SCAN) and 2 more",
    ],
    [
      "FAIL: an offender stands even when another repository is unreadable",
      registry({ scanType: null, scanRules: null, readErrors: readErrors("GetRegistryScanningConfiguration") }),
      [named("team/a", { scanFrequency: "MANUAL" }), named("team/b")],
      "prod",
      "FAIL",
      "At least 1 repository is scanned",
    ],
    ["NOT_APPLICABLE: no repositories", enhancedAll, [], "dev", "NOT_APPLICABLE", "no repositories"],
    [
      "ERROR: the scanning configuration unreadable",
      registry({ scanType: null, scanRules: null, readErrors: readErrors("GetRegistryScanningConfiguration") }),
      [named("team/a")],
      "prod",
      "ERROR",
      "1 of 1 repositories could not be judged: ecr:GetRegistryScanningConfiguration failed with AccessDeniedException",
    ],
    ["ERROR: tags unreadable where the account says nothing", enhancedAll, [named("team/a", { tags: null, readErrors: readErrors("ListTagsForResource") })], "staging", "ERROR", "ecr:ListTagsForResource failed"],
  ])("%s", (_label, reg, repositories, accountEnvironment, status, reason) => {
    const result = scanCostByEnvironment.evaluate(reg, repositories, ctx(accountEnvironment));
    expect(result.status).toBe(status);
    expect(result.reason).toContain(reason);
  });

  it("does not need the tags when the account names the environment", () => {
    const result = scanCostByEnvironment.evaluate(enhancedAll, [named("team/a", { tags: null, readErrors: readErrors("ListTagsForResource") })], ctx("prod"));
    expect(result.status).toBe("PASS");
  });

  it("gives the scan type, the environments, the offenders and the scans' estimated cost as evidence", () => {
    const images = [imageFacts({ digest: "sha256:1", pushedAt: daysAgo(2) }), imageFacts({ digest: "sha256:2", pushedAt: daysAgo(29) }), imageFacts({ digest: "sha256:3", pushedAt: daysAgo(31) })];
    const result = scanCostByEnvironment.evaluate(enhancedApi, [named("team/orders-api", { images }), named("team/worker")], ctx("dev"));
    expect(result.evidence).toEqual({
      scanType: "ENHANCED",
      repositories: 2,
      environments: { prod: 0, dev: 2, other: 0 },
      offenderCount: 1,
      offenders: [{ name: "team/orders-api", environment: "dev", environmentSource: "account dev", frequency: "CONTINUOUS_SCAN", recentPushes: 2 }],
      devImagesScannedIn30Days: 2,
      inspectorUsdPerInitialScan: 0.09,
      estimatedMonthlyUsd: 0.18,
      estimated: true,
    });
    expect(result.reason).toContain("the 2 images pushed to the dev ones in the last 30 days cost about $0.18/month in Inspector scans ($0.09 each, rescans extra)");
  });

  it("puts no scan cost on a prod repository left MANUAL: nothing is scanned there", () => {
    const result = scanCostByEnvironment.evaluate(basicProd, [named("team/web", { images: [imageFacts({ pushedAt: daysAgo(1) })] })], ctx("prod"));
    expect(result.status).toBe("FAIL");
    expect(result.reason).not.toContain("Inspector");
    expect(result.evidence).toMatchObject({ devImagesScannedIn30Days: 0, estimatedMonthlyUsd: 0 });
  });
});
