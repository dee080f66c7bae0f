import { DescribeImageScanFindingsCommand, ECRClient } from "@aws-sdk/client-ecr";
import { Inspector2Client } from "@aws-sdk/client-inspector2";
import { createClient } from "@/lib/aws/clients";
import { collectImageFindings } from "@/lib/aws/collect-findings";
import { collectImages } from "@/lib/aws/collect-images";
import { listRepositories } from "@/lib/aws/collect-repositories";
import { sandboxRegionContext, sandboxSessions } from "@/lib/aws/testing";
import type { ImageFindingsRecord } from "@/lib/aws/types";
import { getRegistry } from "@/lib/sandbox/ecr-model";
import type { RunningSandbox } from "@/lib/sandbox/server";

/**
 * A collector path a run of the demo organisation never takes, so its calls reach the log too:
 * in an ENHANCED registry, when ECR's DescribeImageScanFindings relays the counts but no
 * enhanced findings, the collector asks Inspector2 (ListFindings) instead. Here ECR is the
 * sandbox's, with that one field dropped from its answer, and Inspector2 is the sandbox's.
 */
export async function runInspectorFallback(sandbox: RunningSandbox): Promise<ImageFindingsRecord | null> {
  const org = sandbox.organization;
  const target = org.accounts
    .filter((a) => a.status === "ACTIVE")
    .flatMap((a) => org.options.regions.map((region) => ({ accountId: a.id, region })))
    .find(({ accountId, region }) => getRegistry(org, accountId, region).scanType === "ENHANCED");
  if (!target) throw new Error("the organisation has no ENHANCED registry");
  const sessions = sandboxSessions(sandbox);
  const ctx = sandboxRegionContext(sandbox, sessions, target.accountId, target.region);
  const ecr = createClient(ECRClient, { ...ctx.client, region: target.region, credentials: ctx.credentials });
  const inspector = createClient(Inspector2Client, { ...ctx.client, region: target.region, credentials: ctx.credentials });
  const send = ecr.send.bind(ecr) as (command: unknown, options?: unknown) => Promise<{ imageScanFindings?: { enhancedFindings?: unknown } }>;
  const silentEcr = {
    send: async (command: unknown, options?: unknown) => {
      const out = await send(command, options);
      if (command instanceof DescribeImageScanFindingsCommand) delete out.imageScanFindings?.enhancedFindings;
      return out;
    },
  } as unknown as ECRClient;
  try {
    for (const repo of await listRepositories(ctx, ecr)) {
      const images = (await collectImages(ctx, ecr, repo)) ?? [];
      const scanned = images.find((i) => i.scanStatus !== null && Object.values(i.severityCounts ?? {}).some((n) => n > 0));
      if (scanned) return await collectImageFindings(ctx, { ecr: silentEcr, inspector }, repo, scanned, "ENHANCED");
    }
    throw new Error(`no scanned image with findings in ${target.accountId}/${target.region}`);
  } finally {
    ecr.destroy();
    inspector.destroy();
    sessions.destroy();
  }
}
