import { CloudTrailClient, DescribeTrailsCommand, GetEventSelectorsCommand, GetTrailStatusCommand, type Trail } from "@aws-sdk/client-cloudtrail";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getRegistry } from "../ecr-model";
import { sandboxOptions } from "../options";
import { type RunningSandbox, startSandbox } from "../server";
import { clientIn } from "../testing";

// Three seeds, so the coverage assertion meets more than one way of failing trail-logging.
const SEEDS = [31, 32, 33];
let sandboxes: RunningSandbox[];
beforeAll(async () => {
  sandboxes = await Promise.all(SEEDS.map((seed) => startSandbox(sandboxOptions("demo", { seed }))));
});
afterAll(() => Promise.all(sandboxes.map((s) => s.close())));

async function trailClient(sandbox: RunningSandbox, accountId: string, region: string) {
  return clientIn(sandbox, CloudTrailClient, accountId, region);
}

/** CONTROLS.md's trail-logging, as a collector evaluates it from the three calls. */
async function coverage(client: CloudTrailClient, region: string) {
  const { trailList = [] } = await client.send(new DescribeTrailsCommand({}));
  const covering: string[] = [];
  for (const trail of trailList) {
    const status = await client.send(new GetTrailStatusCommand({ Name: trail.TrailARN }));
    expect(status.LatestDeliveryTime).toBeInstanceOf(Date);
    expect(status.StartLoggingTime).toBeInstanceOf(Date);
    if (!status.IsLogging) expect(status.StopLoggingTime).toBeInstanceOf(Date);
    const selectors = await client.send(new GetEventSelectorsCommand({ TrailName: trail.TrailARN }));
    expect(selectors.TrailARN).toBe(trail.TrailARN);
    // Exactly one of the two selector styles is answered.
    expect(Boolean(selectors.EventSelectors) !== Boolean(selectors.AdvancedEventSelectors)).toBe(true);
    const management =
      (selectors.EventSelectors ?? []).some((s) => s.IncludeManagementEvents && s.ReadWriteType === "All") ||
      (selectors.AdvancedEventSelectors ?? []).some((s) => s.FieldSelectors?.some((f) => f.Field === "eventCategory" && f.Equals?.includes("Management")));
    if ((trail.IsMultiRegionTrail || trail.HomeRegion === region) && status.IsLogging && management) covering.push(trail.Name!);
  }
  return { trails: trailList, covering };
}

describe("CloudTrail", () => {
  it("covers a region exactly where its registry lacks the trail-logging flaw, in every account, region and seed", async () => {
    let flawed = 0;
    let flawedWithTrails = 0;
    let covered = 0;
    for (const sandbox of sandboxes) {
      const org = sandbox.organization;
      for (const account of org.accounts.filter((a) => a.status === "ACTIVE")) {
        const multiRegion = new Map<string, Trail>();
        for (const region of account.regions) {
          const { trails, covering } = await coverage(await trailClient(sandbox, account.id, region), region);
          const flaw = getRegistry(org, account.id, region).flaws.includes("trail-logging");
          expect({ account: account.id, region, covered: covering.length > 0 }).toEqual({ account: account.id, region, covered: !flaw });
          if (flaw) {
            flawed += 1;
            if (trails.length > 0) flawedWithTrails += 1;
          } else covered += 1;
          // A multi-region trail is the same trail (same ARN, same home) seen from every region.
          for (const t of trails.filter((x) => x.IsMultiRegionTrail)) {
            const seen = multiRegion.get(t.TrailARN!);
            if (seen) expect(t).toEqual(seen);
            multiRegion.set(t.TrailARN!, t);
            expect(t.HomeRegion).toBe(org.options.regions[0]);
          }
        }
      }
    }
    expect(flawed).toBeGreaterThanOrEqual(SEEDS.length);
    expect(covered).toBeGreaterThan(flawed);
    // Some flawed regions still show trails (stopped, data-only, write-only or another region's), not only none.
    expect(flawedWithTrails).toBeGreaterThan(0);
  });

  it("describes trails with their home region and hides shadow trails on request", async () => {
    const sandbox = sandboxes[0];
    const org = sandbox.organization;
    // An account without the flaw anywhere keeps one multi-region trail: its second region sees it as a shadow.
    const account = org.accounts.find((a) => a.regions.every((r) => !getRegistry(org, a.id, r).flaws.includes("trail-logging")))!;
    const [home, other] = account.regions;
    const client = await trailClient(sandbox, account.id, other);
    const all = (await client.send(new DescribeTrailsCommand({ includeShadowTrails: true }))).trailList ?? [];
    const own = (await client.send(new DescribeTrailsCommand({ includeShadowTrails: false }))).trailList ?? [];
    expect(own.every((t) => t.HomeRegion === other)).toBe(true);
    expect(all.filter((t) => t.HomeRegion !== other).every((t) => t.IsMultiRegionTrail)).toBe(true);
    for (const t of all) {
      expect(t.TrailARN).toBe(`arn:aws:cloudtrail:${t.HomeRegion}:${account.id}:trail/${t.Name}`);
      expect(t).toMatchObject({ IsOrganizationTrail: false, S3BucketName: expect.stringMatching(/^aws-cloudtrail-logs-/) });
      expect(typeof t.LogFileValidationEnabled).toBe("boolean");
    }
    const shadow = all.find((t) => t.HomeRegion === home)!;
    expect(shadow).toMatchObject({ IsMultiRegionTrail: true, IncludeGlobalServiceEvents: true });
    expect(own.map((t) => t.TrailARN)).not.toContain(shadow.TrailARN);
    // trailNameList: a name matches only a trail homed in this region; an ARN matches a shadow too.
    expect((await client.send(new DescribeTrailsCommand({ trailNameList: [shadow.Name!] }))).trailList).toEqual([]);
    expect((await client.send(new DescribeTrailsCommand({ trailNameList: [shadow.TrailARN!] }))).trailList).toEqual([shadow]);
    await expect(client.send(new GetTrailStatusCommand({ Name: shadow.Name }))).rejects.toMatchObject({ name: "TrailNotFoundException" });
    expect((await client.send(new GetTrailStatusCommand({ Name: shadow.TrailARN }))).IsLogging).toBe(true);
    // From its home region the same trail answers by name.
    const homeClient = await trailClient(sandbox, account.id, home);
    expect((await homeClient.send(new GetTrailStatusCommand({ Name: shadow.Name }))).IsLogging).toBe(true);
  });

  it("answers CloudTrail's named errors for unknown trails, bad names and bad ARNs", async () => {
    const sandbox = sandboxes[0];
    const account = sandbox.organization.accounts[0];
    const region = account.regions[0];
    const client = await trailClient(sandbox, account.id, region);
    await expect(client.send(new GetTrailStatusCommand({ Name: "no-such-trail" }))).rejects.toMatchObject({ name: "TrailNotFoundException", message: expect.stringContaining("no-such-trail") });
    await expect(client.send(new GetEventSelectorsCommand({ TrailName: "no-such-trail" }))).rejects.toMatchObject({ name: "TrailNotFoundException" });
    await expect(client.send(new GetTrailStatusCommand({ Name: "a" }))).rejects.toMatchObject({ name: "InvalidTrailNameException" });
    await expect(client.send(new GetTrailStatusCommand({ Name: "bad--name" }))).rejects.toMatchObject({ name: "InvalidTrailNameException" });
    await expect(client.send(new GetTrailStatusCommand({ Name: undefined }))).rejects.toMatchObject({ name: "InvalidTrailNameException" });
    await expect(client.send(new GetEventSelectorsCommand({ TrailName: "arn:aws:cloudtrail:nope" }))).rejects.toMatchObject({ name: "CloudTrailARNInvalidException" });
    const other = sandbox.organization.accounts[1].id;
    await expect(client.send(new GetTrailStatusCommand({ Name: `arn:aws:cloudtrail:${region}:${other}:trail/management-events` }))).rejects.toMatchObject({ name: "TrailNotFoundException" });
  });
});
