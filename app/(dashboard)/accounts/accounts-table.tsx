"use client";

import { useAction } from "next-safe-action/hooks";
import { Fragment, useState } from "react";
import { actionErrorMessage } from "@/components/ui/action-result";
import type { ConnectionTestState } from "@/lib/accounts/connection-test-state";
import { deleteAwsAccountAction, setAwsAccountEnabledAction } from "@/lib/actions/accounts";
import { AccountForm } from "./account-form";
import { ConnectionTestCell } from "./connection-test-cell";

/** One account as the page hands it to the browser (no Date objects). */
export interface AccountView {
  id: string;
  name: string;
  environment: string;
  roleArn: string;
  regions: string[];
  enabled: boolean;
  source: "config" | "organizations" | "ui";
  email: string | null;
  orgStatus: string | null;
  lastTest: ConnectionTestState | null;
}

const SOURCE_HELP: Record<AccountView["source"], string> = {
  config: "From the accounts config file: applying the file again replaces edits made here",
  organizations: "Discovered through AWS Organizations",
  ui: "Added on this page",
};

function RowControls({ account, onEdit }: { account: AccountView; onEdit: () => void }) {
  const enable = useAction(setAwsAccountEnabledAction);
  const remove = useAction(deleteAwsAccountAction);
  const busy = enable.isPending || remove.isPending;
  const error = actionErrorMessage(enable.result) ?? actionErrorMessage(remove.result);
  return (
    <div className="row-controls">
      <button type="button" className="button secondary" disabled={busy} onClick={onEdit}>
        Edit
      </button>
      <button
        type="button"
        className="button secondary"
        disabled={busy}
        onClick={() => enable.execute({ accountId: account.id, enabled: !account.enabled })}
      >
        {account.enabled ? "Disable" : "Enable"}
      </button>
      <button
        type="button"
        className="button secondary"
        disabled={busy}
        onClick={() => {
          const message =
            `Remove ${account.name} (${account.id})? It is no longer collected; what was already collected from it stays.` +
            (account.source === "config" ? " It comes back the next time the config file is applied." : "") +
            (account.source === "organizations" ? " Organizations discovery adds it again on the next run; disable it instead to keep it out." : "");
          if (window.confirm(message)) remove.execute({ accountId: account.id });
        }}
      >
        Remove
      </button>
      {error ? (
        <span className="form-error" role="status">
          {error}
        </span>
      ) : null}
    </div>
  );
}

export function AccountsTable({
  accounts,
  defaultRegions,
  canEdit,
  canTest,
}: {
  accounts: AccountView[];
  defaultRegions: string[];
  canEdit: boolean;
  canTest: boolean;
}) {
  const [editing, setEditing] = useState<string | null>(null);
  const columns = canEdit ? 8 : 7;
  return (
    <div className="table-wrap">
      <table>
        <caption className="sr-only">AWS accounts</caption>
        <thead>
          <tr>
            <th scope="col">Account</th>
            <th scope="col">Name</th>
            <th scope="col">Environment</th>
            <th scope="col">Regions</th>
            <th scope="col">Source</th>
            <th scope="col">Status</th>
            <th scope="col">Last connection test</th>
            {canEdit ? <th scope="col">Actions</th> : null}
          </tr>
        </thead>
        <tbody>
          {accounts.map((account) => (
            <Fragment key={account.id}>
              <tr data-testid={`account-${account.id}`}>
                <td className="wrap-cell">
                  <span className="mono">{account.id}</span>
                  <div className="mono small muted">{account.roleArn}</div>
                </td>
                <td>
                  {account.name}
                  {account.email ? <div className="small muted">{account.email}</div> : null}
                </td>
                <td>{account.environment}</td>
                <td>{account.regions.length ? account.regions.join(", ") : <span className="muted">default ({defaultRegions.join(", ")})</span>}</td>
                <td>
                  <span className="badge" title={SOURCE_HELP[account.source]}>
                    {account.source}
                  </span>
                </td>
                <td>
                  {account.enabled ? "enabled" : <span className="muted">disabled</span>}
                  {account.orgStatus && account.orgStatus !== "ACTIVE" ? <div className="small muted">Organizations: {account.orgStatus}</div> : null}
                </td>
                <td className="wrap-cell">
                  <ConnectionTestCell accountId={account.id} initial={account.lastTest} canTest={canTest} />
                </td>
                {canEdit ? (
                  <td>
                    <RowControls account={account} onEdit={() => setEditing(editing === account.id ? null : account.id)} />
                  </td>
                ) : null}
              </tr>
              {canEdit && editing === account.id ? (
                <tr>
                  <td colSpan={columns}>
                    {account.source === "config" ? <p className="muted small">{SOURCE_HELP.config}.</p> : null}
                    <AccountForm account={account} defaultRegions={defaultRegions} onDone={() => setEditing(null)} />
                  </td>
                </tr>
              ) : null}
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  );
}
