import type { Change } from "@/lib/cost/series";
import type { CostReadError, CostView } from "@/lib/db/costs";
import { formatCount } from "@/components/tables/format";
import { formatMoney } from "@/components/cost/format";
import { formatDays, formatMonth, formatRatio } from "./cost-format";
import { Estimated } from "./cost-table";
import styles from "./costs.module.css";

function Amount({ usd, estimated }: { usd: number; estimated?: boolean }) {
  return (
    <span>
      <span className={styles.amount}>{formatMoney(usd)}</span>
      <span className={styles.unit}>USD</span>
      {estimated ? <Estimated /> : null}
    </span>
  );
}

/** "+12.3% (+$45.60) vs Oct 1–27": more spend is red, less is green; the words say it too. */
function ChangeLine({ change, against }: { change: Change | null; against: string }) {
  if (!change) return <div className={styles.detail}>No {against} to compare with.</div>;
  const direction = change.delta > 0 ? styles.up : change.delta < 0 ? styles.down : undefined;
  return (
    <div className={styles.detail}>
      <span className={direction}>
        {formatRatio(change.ratio)} ({change.delta >= 0 ? "+" : "-"}
        {formatMoney(Math.abs(change.delta))})
      </span>{" "}
      vs {against} ({formatMoney(change.previous)})
    </div>
  );
}

/**
 * The headline figures: this month so far, the forecast to its end, the last full month, and
 * what reading Cost Explorer itself cost this month. USD, unblended.
 */
export function CostHeadline({ view, forecastError }: { view: CostView; forecastError: CostReadError | null }) {
  const { monthToDate, forecast, lastFullMonth, change, requests } = view;
  return (
    <dl className={styles.figures} data-testid="cost-headline">
      <div className={styles.figure}>
        <dt>Month to date{monthToDate ? ` (${formatDays(monthToDate.from, monthToDate.to)})` : ""}</dt>
        <dd>
          {monthToDate ? <Amount usd={monthToDate.amount} estimated={monthToDate.estimated} /> : <span className="muted">No day of this month collected yet</span>}
          {change.toDate ? <ChangeLine change={change.toDate} against={`the same days of last month, ${formatDays(change.toDate.previousFrom, change.toDate.previousTo)}`} /> : null}
        </dd>
      </div>
      <div className={styles.figure} data-testid="cost-forecast">
        <dt>Forecast for {formatMonth(`${view.today.slice(0, 7)}-01`)}</dt>
        <dd>
          {forecast ? (
            <>
              <Amount usd={forecast.total.mean} />
              <div className={styles.detail}>
                80% interval {forecast.total.lower !== null ? formatMoney(forecast.total.lower) : "?"} – {forecast.total.upper !== null ? formatMoney(forecast.total.upper) : "?"}
              </div>
              <div className={styles.detail}>
                {formatMoney(forecast.actual)} billed before {forecast.forecastFrom} + {formatMoney(forecast.rest.mean)} forecast by Cost Explorer for the rest of the month
                {forecast.nextMonth ? `; ${formatMonth(forecast.nextMonth.month)}: ${formatMoney(forecast.nextMonth.mean)}` : ""}
              </div>
            </>
          ) : view.filtered ? (
            <span className="muted">Cost Explorer forecasts all of ECR: clear the account and region filters to see it.</span>
          ) : forecastError ? (
            <span className="text-danger">
              Not available: {forecastError.errorName} on {forecastError.operation} (account {forecastError.accountId})
            </span>
          ) : (
            <span className="muted">No forecast for this month yet: the next collection asks Cost Explorer for one.</span>
          )}
        </dd>
      </div>
      <div className={styles.figure}>
        <dt>Last full month{lastFullMonth ? ` (${formatMonth(lastFullMonth.month)})` : ""}</dt>
        <dd>
          {lastFullMonth ? <Amount usd={lastFullMonth.amount} estimated={lastFullMonth.estimated} /> : <span className="muted">Not collected</span>}
          {change.lastFullMonth ? <ChangeLine change={change.lastFullMonth} against={formatMonth(change.lastFullMonth.previousFrom)} /> : null}
        </dd>
      </div>
      <div className={styles.figure} data-testid="cost-explorer-requests">
        <dt>Cost Explorer requests this month</dt>
        <dd>
          <span className={styles.amount}>{formatCount(requests.requests)}</span>
          <span className={styles.unit}>{requests.requests === 1 ? "request" : "requests"}</span>
          <div className={styles.detail}>
            {formatMoney(requests.usd)} USD at USD 0.01 each (AWS bills every Cost Explorer API request), by the collections started since {requests.since}
          </div>
        </dd>
      </div>
    </dl>
  );
}
