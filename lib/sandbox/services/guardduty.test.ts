import { GetDetectorCommand, GuardDutyClient, ListDetectorsCommand, paginateListDetectors } from "@aws-sdk/client-guardduty";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getRegistry } from "../ecr-model";
import { sandboxOptions } from "../options";
import { type RunningSandbox, startSandbox } from "../server";
import { clientIn } from "../testing";

// Several seeds, so both ways of failing guardduty-enabled (no detector, a DISABLED one) appear.
const SEEDS = [51, 52, 53, 54];
let sandboxes: RunningSandbox[];
beforeAll(async () => {
  sandboxes = await Promise.all(SEEDS.map((seed) => startSandbox(sandboxOptions("demo", { seed }))));
});
afterAll(() => Promise.all(sandboxes.map((s) => s.close())));

async function guardduty(sandbox: RunningSandbox, accountId: string, region: string) {
  return clientIn(sandbox, GuardDutyClient, accountId, region);
}

describe("GuardDuty", () => {
  it("has an ENABLED detector exactly where the registry lacks the guardduty-enabled flaw, in every account, region and seed", async () => {
    const seen = { enabled: 0, disabled: 0, none: 0 };
    for (const sandbox of sandboxes) {
      const org = sandbox.organization;
      for (const account of org.accounts.filter((a) => a.status === "ACTIVE")) {
        for (const region of account.regions) {
          const client = await guardduty(sandbox, account.id, region);
          const ids: string[] = [];
          for await (const out of paginateListDetectors({ client, pageSize: 1 }, {})) ids.push(...(out.DetectorIds ?? []));
          expect(ids.length).toBeLessThanOrEqual(1);
          const statuses = [];
          for (const id of ids) {
            const detector = await client.send(new GetDetectorCommand({ DetectorId: id }));
            // GuardDuty's model types createdAt and updatedAt as ISO strings, not timestamps.
            expect(detector.CreatedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
            expect(Date.parse(detector.UpdatedAt!)).toBeGreaterThanOrEqual(Date.parse(detector.CreatedAt!));
            expect(Date.parse(detector.UpdatedAt!)).toBeLessThanOrEqual(org.now.getTime());
            expect(detector.ServiceRole).toBe(`arn:aws:iam::${account.id}:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty`);
            expect(["FIFTEEN_MINUTES", "ONE_HOUR", "SIX_HOURS"]).toContain(detector.FindingPublishingFrequency);
            expect(detector.DataSources?.CloudTrail?.Status).toBe("ENABLED");
            expect(detector.Features?.find((f) => f.Name === "S3_DATA_EVENTS")?.UpdatedAt).toBeInstanceOf(Date);
            statuses.push(detector.Status);
          }
          const enabled = statuses.includes("ENABLED");
          const flaw = getRegistry(org, account.id, region).flaws.includes("guardduty-enabled");
          expect({ account: account.id, region, enabled }).toEqual({ account: account.id, region, enabled: !flaw });
          if (enabled) seen.enabled += 1;
          else if (statuses.length) seen.disabled += 1;
          else seen.none += 1;
        }
      }
    }
    expect(seen.enabled).toBeGreaterThan(0);
    expect(seen.disabled).toBeGreaterThan(0);
    expect(seen.none).toBeGreaterThan(0);
  });

  it("refuses a detector id the account does not own with BadRequestException", async () => {
    const [sandbox] = sandboxes;
    const org = sandbox.organization;
    const region = org.options.regions[0];
    // Two accounts that both have a detector here (no guardduty-enabled flaw means an ENABLED one).
    const [a, b] = org.accounts.filter((x) => x.status === "ACTIVE" && !getRegistry(org, x.id, region).flaws.includes("guardduty-enabled"));
    const client = await guardduty(sandbox, a.id, region);
    await expect(client.send(new GetDetectorCommand({ DetectorId: "12abc34d567e8fa901bc2d34e56789f0" }))).rejects.toMatchObject({
      name: "BadRequestException",
      $metadata: { httpStatusCode: 400 },
      message: expect.stringContaining("detectorId"),
    });
    // Another account's detector, even a real one, is not this account's.
    const other = await guardduty(sandbox, b.id, region);
    const [foreign] = (await other.send(new ListDetectorsCommand({}))).DetectorIds!;
    const [own] = (await client.send(new ListDetectorsCommand({}))).DetectorIds!;
    expect([own, foreign]).toEqual([expect.stringMatching(/^[0-9a-f]{32}$/), expect.stringMatching(/^[0-9a-f]{32}$/)]);
    expect(own).not.toBe(foreign);
    await expect(client.send(new GetDetectorCommand({ DetectorId: foreign }))).rejects.toMatchObject({ name: "BadRequestException" });
    await expect(other.send(new GetDetectorCommand({ DetectorId: own }))).rejects.toMatchObject({ name: "BadRequestException" });
    // The same account's detector in another region is another detector.
    const elsewhere = await guardduty(sandbox, a.id, org.options.regions[1]);
    await expect(elsewhere.send(new GetDetectorCommand({ DetectorId: own }))).rejects.toMatchObject({ name: "BadRequestException" });
  });

  it("validates maxResults (1..50) and nextToken", async () => {
    const [sandbox] = sandboxes;
    const account = sandbox.organization.accounts[0];
    const client = await guardduty(sandbox, account.id, account.regions[0]);
    await expect(client.send(new ListDetectorsCommand({ MaxResults: 51 }))).rejects.toMatchObject({ name: "BadRequestException", message: expect.stringContaining("maxResults") });
    await expect(client.send(new ListDetectorsCommand({ MaxResults: 0 }))).rejects.toMatchObject({ name: "BadRequestException" });
    await expect(client.send(new ListDetectorsCommand({ NextToken: "bm9wZQ==" }))).rejects.toMatchObject({ name: "BadRequestException", message: expect.stringContaining("nextToken") });
    const all = await client.send(new ListDetectorsCommand({ MaxResults: 50 }));
    expect(all.NextToken).toBeUndefined();
  });
});
