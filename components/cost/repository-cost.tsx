import Link from "next/link";
import { getCurrentUser } from "@/lib/auth/session";
import { getRepositoryCost } from "@/lib/db/repository-costs";
import { COST_READERS } from "@/lib/auth/roles";
import { formatGib, formatMoney, formatShare } from "./format";

/**
 * The repository page's storage-cost section: what the repository stores, what that costs at list
 * price, and its share of its account-region's actual storage bill. Cost figures are for the
 * roles the cost pages serve; for any other role the section is left out (the page checks only
 * that the reader may see repositories).
 */
export async function RepositoryCost({ arn, accountId, region, runId }: { arn: string; accountId: string; region: string; runId: number }) {
  const user = await getCurrentUser();
  if (!user || !COST_READERS.includes(user.role)) return null;
  const cost = await getRepositoryCost({ runId, arn, accountId, region });
  const listHref = `/costs/repositories?account=${accountId}&region=${region}`;

  return (
    <section className="card" aria-labelledby="storage-cost" data-testid="repository-cost">
      <h2 id="storage-cost">Storage cost</h2>
      {!cost ? (
        <p className="muted">This repository is not in run #{runId}&apos;s snapshot (it was deleted), so it no longer costs anything to store.</p>
      ) : (
        <>
          <dl className="facts">
            <div className="fact-row">
              <dt>Stored</dt>
              <dd>
                {cost.imagesUnread ? (
                  <span className="text-danger">unknown: its images could not be read in this collection</span>
                ) : (
                  <>
                    {formatGib(cost.storedBytes)}{" "}
                    <span className="muted small">
                      {cost.storedBytesExact ? "(each shared layer counted once)" : "(upper bound: some images' layers were not read, so their whole sizes are counted)"}
                    </span>
                  </>
                )}
              </dd>
            </div>
            <div className="fact-row">
              <dt>List price</dt>
              <dd>{formatMoney(cost.listUsd)} a month</dd>
            </div>
            <div className="fact-row">
              <dt>Actual, allocated</dt>
              <dd>
                {cost.allocatedUsd !== null ? (
                  <>
                    {formatMoney(cost.allocatedUsd)}{" "}
                    <span className="muted small">
                      ({formatShare(cost.storedBytes, cost.regionStoredBytes)} of the account-region&apos;s stored bytes)
                    </span>
                  </>
                ) : cost.window === null ? (
                  <span className="muted">no Cost Explorer data has been collected</span>
                ) : cost.regionCostUsd === null ? (
                  <span className="muted">
                    Cost Explorer reports no storage cost for {accountId} in {region} from {cost.window.from} to {cost.window.to}
                  </span>
                ) : (
                  <span className="muted">not allocated: the account-region stores no bytes to share its cost by</span>
                )}
              </dd>
            </div>
            <div className="fact-row">
              <dt>From</dt>
              <dd>
                {cost.window && cost.regionCostUsd !== null ? (
                  <>
                    {formatMoney(cost.regionCostUsd)} of ECR storage in {accountId} / {region} from {cost.window.from} to {cost.window.to} ({cost.window.days} days, Cost Explorer, unblended
                    {cost.regionCostEstimated ? ", including days AWS still estimates" : ""}), shared over its {cost.regionRepositories}{" "}
                    {cost.regionRepositories === 1 ? "repository" : "repositories"} ({formatGib(cost.regionStoredBytes)}) by stored bytes
                  </>
                ) : (
                  "—"
                )}
              </dd>
            </div>
          </dl>
          <p className="small">
            <Link href={listHref}>Every repository&apos;s cost in {accountId} / {region}</Link>
          </p>
        </>
      )}
    </section>
  );
}
