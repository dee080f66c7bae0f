import { describe, expect, it } from "vitest";
import type { RegistryFacts, TrailFacts } from "../types";
import { checkContext, readError, registryFacts, trailFacts as trail } from "./testing";
import { trailLogging } from "./trail-logging";

const ctx = checkContext();
// The registry's region is not the default trail's home region: a multi-region trail covers it from elsewhere.
const registry = (overrides: Partial<RegistryFacts> = {}) => registryFacts({ region: "eu-west-1", ...overrides });
const failure = (operation: string) => readError(operation, "cloudtrail");
const management = { name: "Management events", fieldSelectors: [{ field: "eventCategory", equals: ["Management"] }] };
const s3Data = { name: "S3 object events", fieldSelectors: [{ field: "eventCategory", equals: ["Data"] }, { field: "resources.type", equals: ["AWS::S3::Object"] }] };

describe("trail-logging", () => {
  it.each<[string, TrailFacts[], RegExp]>([
    ["a multi-region trail homed elsewhere", [trail()], /"management-events" \(multi-region, home us-east-1\) is logging/],
    ["a single-region trail homed in the region", [trail({ name: "audit-eu", homeRegion: "eu-west-1", multiRegion: false })], /"audit-eu" \(home region eu-west-1\)/],
    ["an organization trail", [trail({ name: "org-trail", organizationTrail: true })], /"org-trail" \(organization trail\)/],
    ["advanced selectors with eventCategory Management", [trail({ eventSelectors: null, advancedEventSelectors: [management, s3Data] })], /records all management events in eu-west-1/],
    [
      "advanced selectors split into read-only and write-only",
      [
        trail({
          eventSelectors: null,
          advancedEventSelectors: [
            { name: "reads", fieldSelectors: [...management.fieldSelectors, { field: "readOnly", equals: ["true"] }] },
            { name: "writes", fieldSelectors: [...management.fieldSelectors, { field: "readOnly", equals: ["false"] }] },
          ],
        }),
      ],
      /is logging/,
    ],
    [
      "advanced management selector that keeps ECR with StartsWith and excludes another source",
      [
        trail({
          eventSelectors: null,
          advancedEventSelectors: [{ name: "some", fieldSelectors: [...management.fieldSelectors, { field: "eventSource", equals: [], startsWith: ["ecr.", "s3."], notEquals: ["kms.amazonaws.com"] }] }],
        }),
      ],
      /is logging/,
    ],
    [
      "basic ReadOnly and WriteOnly selectors together",
      [trail({ eventSelectors: [{ readWriteType: "ReadOnly", includeManagementEvents: true }, { readWriteType: "WriteOnly", includeManagementEvents: true }] })],
      /is logging/,
    ],
    ["one good trail among broken ones", [trail({ name: "stopped", isLogging: false }), trail({ name: "audit-eu", homeRegion: "eu-west-1", multiRegion: false })], /"audit-eu"/],
    ["a good trail beside one whose status could not be read", [trail({ name: "unknown", isLogging: null }), trail({ name: "good" })], /"good"/],
  ])("PASS: %s", (_, trails, reason) => {
    const result = trailLogging.evaluate(registry({ trails, readErrors: { GetTrailStatus: failure("GetTrailStatus") } }), [], ctx);
    expect(result.status).toBe("PASS");
    expect(result.reason).toMatch(reason);
  });

  it.each<[string, TrailFacts[], RegExp]>([
    ["no trail at all", [], /No CloudTrail trail in eu-west-1/],
    ["only a single-region trail of another region", [trail({ name: "audit-us", multiRegion: false })], /None of the 1 trail\(s\) seen covers eu-west-1 \("audit-us" single-region in us-east-1\)/],
    ["a stopped trail", [trail({ isLogging: false })], /"management-events" is not logging/],
    ["basic selectors without management events", [trail({ eventSelectors: [{ readWriteType: "All", includeManagementEvents: false }] })], /IncludeManagementEvents false/],
    ["basic selectors WriteOnly", [trail({ eventSelectors: [{ readWriteType: "WriteOnly", includeManagementEvents: true }] })], /ReadWriteType WriteOnly/],
    ["basic selectors ReadOnly", [trail({ eventSelectors: [{ readWriteType: "ReadOnly", includeManagementEvents: true }] })], /ReadWriteType ReadOnly/],
    ["advanced selectors for data events only", [trail({ eventSelectors: null, advancedEventSelectors: [s3Data] })], /no advanced selector with eventCategory Management/],
    [
      "advanced management selector that is read-only (ECR writes not recorded)",
      [trail({ eventSelectors: null, advancedEventSelectors: [{ name: "reads", fieldSelectors: [...management.fieldSelectors, { field: "readOnly", equals: ["true"] }] }] })],
      /readOnly = true\), not ECR's writes/,
    ],
    [
      "advanced management selector that excludes ECR with NotEquals",
      [trail({ eventSelectors: null, advancedEventSelectors: [{ name: "not-ecr", fieldSelectors: [...management.fieldSelectors, { field: "eventSource", equals: [], notEquals: ["ecr.amazonaws.com"] }] }] })],
      /eventSource excludes ecr.amazonaws.com/,
    ],
    [
      "advanced management selector that excludes ECR with NotStartsWith",
      [trail({ eventSelectors: null, advancedEventSelectors: [{ name: "no-ecr", fieldSelectors: [...management.fieldSelectors, { field: "eventSource", equals: [], notStartsWith: ["ecr."] }] }] })],
      /eventSource excludes ecr.amazonaws.com/,
    ],
    [
      "advanced management selector that drops reads with NotEquals",
      [trail({ eventSelectors: null, advancedEventSelectors: [{ name: "writes", fieldSelectors: [...management.fieldSelectors, { field: "readOnly", equals: [], notEquals: ["true"] }] }] })],
      /readOnly = false\), not ECR's reads/,
    ],
    [
      "advanced management selector limited to other event sources",
      [trail({ eventSelectors: null, advancedEventSelectors: [{ name: "kms", fieldSelectors: [...management.fieldSelectors, { field: "eventSource", equals: ["kms.amazonaws.com"] }] }] })],
      /eventSource excludes ecr.amazonaws.com/,
    ],
    [
      "a trail whose status is unknown but which records no management events anyway",
      [trail({ isLogging: null, eventSelectors: [{ readWriteType: "All", includeManagementEvents: false }] })],
      /IncludeManagementEvents false/,
    ],
  ])("FAIL: %s", (_, trails, reason) => {
    const result = trailLogging.evaluate(registry({ trails }), [], ctx);
    expect(result.status).toBe("FAIL");
    expect(result.reason).toMatch(reason);
  });

  it("FAIL names every covering trail and what it lacks", () => {
    const result = trailLogging.evaluate(
      registry({ trails: [trail({ isLogging: false }), trail({ name: "audit-eu", homeRegion: "eu-west-1", multiRegion: false, eventSelectors: [{ readWriteType: "WriteOnly", includeManagementEvents: true }] })] }),
      [],
      ctx,
    );
    expect(result.status).toBe("FAIL");
    expect(result.reason).toContain('"management-events" is not logging');
    expect(result.reason).toContain('"audit-eu" records write-only management events');
    expect(result.evidence.coveringTrails).toMatchObject({ count: 2 });
  });

  it("ERROR when DescribeTrails failed", () => {
    const result = trailLogging.evaluate(registry({ trails: null, readErrors: { DescribeTrails: failure("DescribeTrails") } }), [], ctx);
    expect(result.status).toBe("ERROR");
    expect(result.reason).toMatch(/cloudtrail:DescribeTrails failed with AccessDeniedException/);
  });

  it("ERROR when the trails were not collected and no failure says why", () => {
    const result = trailLogging.evaluate(registry({ trails: null }), [], ctx);
    expect(result.status).toBe("ERROR");
    expect(result.reason).toMatch(/not collected/);
  });

  it("ERROR naming GetTrailStatus when the only trail that could pass has an unknown status", () => {
    const result = trailLogging.evaluate(registry({ trails: [trail({ isLogging: null }), trail({ name: "stopped", isLogging: false })], readErrors: { GetTrailStatus: failure("GetTrailStatus") } }), [], ctx);
    expect(result.status).toBe("ERROR");
    expect(result.reason).toMatch(/"management-events", whether it is logging is unknown \(cloudtrail:GetTrailStatus failed with AccessDeniedException/);
  });

  it("ERROR naming GetTrailStatus when its status is null with no recorded failure", () => {
    const result = trailLogging.evaluate(registry({ trails: [trail({ isLogging: null })] }), [], ctx);
    expect(result.status).toBe("ERROR");
    expect(result.reason).toMatch(/was not collected \(GetTrailStatus\)/);
  });

  it("ERROR naming GetEventSelectors when a logging trail's selectors could not be read", () => {
    const result = trailLogging.evaluate(registry({ trails: [trail({ eventSelectors: null, advancedEventSelectors: null })], readErrors: { GetEventSelectors: failure("GetEventSelectors") } }), [], ctx);
    expect(result.status).toBe("ERROR");
    expect(result.reason).toMatch(/which events it records is unknown \(cloudtrail:GetEventSelectors failed/);
  });
});
