import type { CostView } from "@/lib/db/costs";
import { CATEGORY_LABELS } from "@/lib/cost/series";
import { formatMoney } from "@/components/cost/format";
import { type CostTableName, stackedOf, TABLE_TITLES } from "./cost-tables";
import styles from "./costs.module.css";

/** Marks a figure Cost Explorer flagged as estimated (its latest days are restated later). */
export function Estimated() {
  return (
    <span className={styles.estimated} title="Cost Explorer marks this as estimated: it can still change">
      estimated
    </span>
  );
}

export function CsvLink({ name, query }: { name: CostTableName; query: string }) {
  return (
    <a className={styles.download} href={`/api/costs/${name}${query}`} download>
      Download {TABLE_TITLES[name].toLowerCase()} as CSV
    </a>
  );
}

/**
 * The table behind a stacked chart: a row per period (newest first), a column per series and the
 * total, and a total row that is the exact sum of the stored rows (not of the rounded cells).
 */
export function StackedTable({ view, name, query }: { view: CostView; name: Exclude<CostTableName, "anomalies">; query: string }) {
  const { stacked, period } = stackedOf(view, name);
  const anomalies = name === "daily" ? new Map(view.anomalousDays.map((d) => [d.date, d])) : new Map<string, CostView["anomalousDays"][number]>();
  const rows = [...stacked.points].reverse();
  return (
    <>
      <div className="table-wrap">
        <table data-testid={`cost-table-${name}`}>
          <caption className="sr-only">
            {TABLE_TITLES[name]}, USD per {period}, newest first, with the totals
          </caption>
          <thead>
            <tr>
              <th scope="col">{period === "month" ? "Month" : "Day"}</th>
              {stacked.keys.map((k) => (
                <th key={k.id} scope="col" className="num">
                  {k.label} (USD)
                </th>
              ))}
              <th scope="col" className="num">
                Total (USD)
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((p) => {
              const anomaly = anomalies.get(p.period);
              return (
                <tr key={p.period}>
                  <th scope="row" className="nowrap">
                    {period === "month" ? p.period.slice(0, 7) : p.period}
                    {p.estimated ? <Estimated /> : null}
                    {anomaly ? (
                      <span className={styles.anomaly} title={`Largest: ${anomaly.top.usageType} in ${anomaly.top.account}, ${formatMoney(anomaly.top.excess)} above expected`}>
                        anomaly
                      </span>
                    ) : null}
                  </th>
                  {p.total === null ? (
                    <td colSpan={stacked.keys.length + 1} className="muted">
                      not collected
                    </td>
                  ) : (
                    <>
                      {stacked.keys.map((k) => (
                        <td key={k.id} className="num">
                          {formatMoney(p.values[k.id] ?? 0)}
                        </td>
                      ))}
                      <td className="num">
                        <strong>{formatMoney(p.total)}</strong>
                      </td>
                    </>
                  )}
                </tr>
              );
            })}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Total</th>
              {stacked.keys.map((k) => (
                <td key={k.id} className="num">
                  {formatMoney(stacked.totals[k.id] ?? 0)}
                </td>
              ))}
              <td className="num" data-testid={`cost-table-${name}-total`}>
                <strong>{formatMoney(stacked.total)}</strong>
              </td>
            </tr>
          </tfoot>
        </table>
      </div>
      <p className="small">
        <CsvLink name={name} query={query} />
      </p>
    </>
  );
}

/** The anomalies, largest excess first; `limit` rows (the CSV has them all). */
export function AnomalyTable({ view, query, limit }: { view: CostView; query: string; limit: number }) {
  const names = new Map(view.options.accounts.map((a) => [a.id, a.name]));
  const shown = view.anomalies.slice(0, limit);
  return (
    <>
      <div className="table-wrap">
        <table data-testid="cost-table-anomalies">
          <caption className="sr-only">Days whose cost was far above the trend of one account&apos;s usage type, largest excess first</caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">Account</th>
              <th scope="col">Usage type</th>
              <th scope="col">Region</th>
              <th scope="col" className="num">
                Cost (USD)
              </th>
              <th scope="col" className="num">
                Expected (USD)
              </th>
              <th scope="col" className="num">
                Above expected (USD)
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((a) => (
              <tr key={`${a.date}/${a.account}/${a.usageType}`}>
                <th scope="row" className="nowrap">
                  {a.date}
                  {a.estimated ? <Estimated /> : null}
                </th>
                <td className="nowrap">
                  {names.get(a.account) ? `${names.get(a.account)} (${a.account})` : a.account}
                </td>
                <td>
                  <span className="mono">{a.usageType}</span> <span className="small muted">{CATEGORY_LABELS[a.category]}</span>
                </td>
                <td>{a.region ?? <span className="muted">unknown</span>}</td>
                <td className="num">{formatMoney(a.amount)}</td>
                <td className="num">{formatMoney(a.expected)}</td>
                <td className="num">
                  <strong>{formatMoney(a.excess)}</strong> <span className="small muted">{a.expected >= 0.01 ? `(${(a.amount / a.expected).toFixed(1)}×)` : "(usually none)"}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="small">
        {view.anomalies.length > shown.length ? `The ${shown.length} largest of ${view.anomalies.length} are listed. ` : null}
        <CsvLink name="anomalies" query={query} />
      </p>
    </>
  );
}
