import { FilterActions, FilterSelect } from "@/components/tables/filter-form";
import { DEFAULT_RANGE_DAYS, RANGE_DAYS } from "@/lib/cost/series";
import type { CostAccountOption } from "@/lib/db/costs";
import type { CostParams } from "./cost-params";

/** The Costs page's GET form: the range (days), one account, one region; all in the URL. */
export function CostFilters({ params, accounts, regions }: { params: CostParams; accounts: CostAccountOption[]; regions: string[] }) {
  // A filter value from the URL that no stored row has still shows as selected (it matches nothing).
  const accountOptions = params.account && !accounts.some((a) => a.id === params.account) ? [...accounts, { id: params.account, name: null }] : accounts;
  const regionOptions = params.region && !regions.includes(params.region) ? [...regions, params.region] : regions;
  const filtered = params.days !== DEFAULT_RANGE_DAYS || Boolean(params.account || params.region);
  return (
    <form className="form inline filters" method="get" action="/costs" aria-label="Filter costs">
      <label>
        Range
        <select name="range" defaultValue={String(params.days)}>
          {RANGE_DAYS.map((days) => (
            <option key={days} value={days}>
              Last {days} days
            </option>
          ))}
        </select>
      </label>
      <FilterSelect label="Account" name="account" value={params.account} options={accountOptions.map((a) => [a.id, a.name ? `${a.name} (${a.id})` : a.id] as const)} />
      <FilterSelect label="Region" name="region" value={params.region} options={regionOptions} />
      <FilterActions filtered={filtered} clearHref="/costs" />
    </form>
  );
}
