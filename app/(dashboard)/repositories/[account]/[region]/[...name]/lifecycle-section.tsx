import { QueryProvider } from "@/components/providers/query-provider";
import { toImagePayload } from "@/lib/cost/lifecycle/image-payload";
import { lifecyclePolicyJson } from "@/lib/cost/lifecycle/policy-text";
import { storagePriceFor } from "@/lib/cost/pricing";
import { recommendedLifecyclePolicy } from "@/lib/cost/recommended-policy";
import { getLifecycleImages } from "@/lib/db/lifecycle-images";
import { getSettings } from "@/lib/db/settings";
import { toComplianceSettings } from "@/lib/settings";
import { LifecycleWhatIf } from "./lifecycle-what-if";

/**
 * The lifecycle what-if: this repository's images as of its collection, sent to the browser once,
 * where the current policy, the recommended COST-01 policy and the user's own are simulated.
 * A repository bigger than MAX_IMAGES sends its newest images and says so.
 */

const MAX_IMAGES = 5_000;

export async function LifecycleSection({ runId, repository }: { runId: number; repository: { arn: string; name: string; region: string; accountId: string } }) {
  const [snapshot, stored] = await Promise.all([getLifecycleImages({ runId, repositoryArn: repository.arn, limit: MAX_IMAGES }), getSettings()]);
  if (!snapshot) return <p className="muted">The repository&apos;s images were not collected, so there is nothing to simulate.</p>;
  const settings = toComplianceSettings(stored);
  const recommended = lifecyclePolicyJson(recommendedLifecyclePolicy(settings));
  return (
    <QueryProvider>
      <LifecycleWhatIf
        repository={repository}
        // Ages are those of today: the question is what the policy would do if applied now.
        at={new Date().toISOString()}
        prices={{ storageUsdPerGbMonth: storagePriceFor(repository.region, settings), archiveUsdPerGbMonth: settings.archivePricePerGbMonth }}
        currentPolicy={snapshot.lifecyclePolicy}
        recommendedPolicy={recommended}
        payload={toImagePayload(snapshot.images)}
        omitted={snapshot.omitted}
      />
    </QueryProvider>
  );
}
