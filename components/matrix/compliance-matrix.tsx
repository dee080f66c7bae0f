import Link from "next/link";
import { controlHref, type ControlQuery } from "@/components/compliance/links";
import { StatusBadge, statusClassName } from "@/components/compliance/status-badge";
import { countsText, STATUS_ORDER } from "@/components/compliance/status-counts";
import { SeverityLabel } from "@/components/tables/severity-counts";
import { worstStatus } from "@/lib/compliance/score";
import type { ControlDefinition, ResultStatus } from "@/lib/compliance/types";
import type { MatrixCell } from "@/lib/db/compliance-results";
import styles from "./matrix.module.css";

export interface MatrixAccount {
  name: string;
  environment: string;
}

interface Column {
  key: string;
  accountId: string | null;
  region: string | null;
  /** Spoken in each cell's label: "Production (111111111111), us-east-1". */
  label: string;
}

const cellKey = (control: string, accountId: string | null, region: string | null) => `${control}\u0000${accountId ?? ""}\u0000${region ?? ""}`;

/** One column per account (or account x region), sorted by account name; organization-scope results last. */
function columnsOf(cells: readonly MatrixCell[], accounts: ReadonlyMap<string, MatrixAccount>): Column[] {
  const seen = new Map<string, Column>();
  for (const cell of cells) {
    const key = `${cell.accountId ?? ""}\u0000${cell.region ?? ""}`;
    if (seen.has(key)) continue;
    let label: string;
    if (cell.accountId === null) label = "Organization";
    else {
      const name = accounts.get(cell.accountId)?.name;
      label = `${name ? `${name} (${cell.accountId})` : cell.accountId}${cell.region ? `, ${cell.region}` : ""}`;
    }
    seen.set(key, { key, accountId: cell.accountId, region: cell.region, label });
  }
  const name = (c: Column) => (c.accountId ? (accounts.get(c.accountId)?.name ?? c.accountId) : "");
  return [...seen.values()].sort((a, b) => {
    if ((a.accountId === null) !== (b.accountId === null)) return a.accountId === null ? 1 : -1;
    return name(a).localeCompare(name(b)) || (a.accountId ?? "").localeCompare(b.accountId ?? "") || (a.region ?? "").localeCompare(b.region ?? "");
  });
}

interface Props {
  framework: string;
  controls: readonly ControlDefinition[];
  cells: readonly MatrixCell[];
  accounts: ReadonlyMap<string, MatrixAccount>;
  byRegion: boolean;
  /** The status filter, carried into each cell's link. */
  status: readonly ResultStatus[];
}

/**
 * Controls (rows) by accounts (columns), or by account x region. Each cell is coloured by its worst
 * status and names its counts in words, worst first, so colour is never the only signal; it links
 * to the control page filtered to that account (and region).
 */
export function ComplianceMatrix({ framework, controls, cells, accounts, byRegion, status }: Props) {
  const columns = columnsOf(cells, accounts);
  const byKey = new Map(cells.map((c) => [cellKey(c.control, c.accountId, c.region), c]));

  const linkFor = (control: string, column: Column): string => {
    const q: ControlQuery = { status };
    if (column.accountId === null) q.resource = "organization";
    else if (byRegion && column.region === null) q.resource = `account/${column.accountId}`;
    else {
      q.account = column.accountId;
      q.region = column.region;
    }
    return controlHref(framework, control, q, "results");
  };

  return (
    <>
      <ul className={styles.legend} aria-label="Status colours">
        {STATUS_ORDER.map((s) => (
          <li key={s}>
            <StatusBadge status={s} />
          </li>
        ))}
      </ul>
      <div className="table-wrap">
        <table className={styles.matrix} data-testid="compliance-matrix">
          <caption className="sr-only">
            Controls by {byRegion ? "account and region" : "account"}: each cell gives the results per status, worst first
          </caption>
          <thead>
            <tr>
              <th scope="col" className={styles.rowHeader}>
                Control
              </th>
              {columns.map((column) => (
                <th key={column.key} scope="col">
                  {column.accountId === null ? (
                    <>
                      Organization
                      <br />
                      <span className="muted small">attestations</span>
                    </>
                  ) : (
                    <>
                      {accounts.get(column.accountId)?.name ?? "unknown account"}
                      <br />
                      <span className="mono muted">{column.accountId}</span>
                      {byRegion ? (
                        <>
                          <br />
                          <span className="muted small">{column.region ?? "account-wide"}</span>
                        </>
                      ) : null}
                    </>
                  )}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {controls.map((control) => (
              <tr key={control.id}>
                <th scope="row" className={styles.rowHeader}>
                  <Link href={controlHref(framework, control.id)}>{control.id}</Link> <SeverityLabel severity={control.severity} />
                  <span className={styles.rowTitle}>{control.title}</span>
                </th>
                {columns.map((column) => {
                  const cell = byKey.get(cellKey(control.id, column.accountId, column.region));
                  const worst = cell ? worstStatus(cell.counts) : null;
                  if (!cell || !worst) {
                    return (
                      <td key={column.key} className={`${styles.cell} ${styles.emptyCell}`}>
                        <span aria-hidden="true">—</span>
                        <span className="sr-only">
                          {control.id}, {column.label}: no results
                        </span>
                      </td>
                    );
                  }
                  const text = countsText(cell.counts);
                  return (
                    <td key={column.key} className={`${styles.cell} ${statusClassName(worst)}`} data-status={worst}>
                      <Link href={linkFor(control.id, column)} aria-label={`${control.id}, ${column.label}: ${text}`}>
                        {text}
                      </Link>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
