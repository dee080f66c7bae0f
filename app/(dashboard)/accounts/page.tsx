import type { Metadata } from "next";
import { QueryProvider } from "@/components/providers/query-provider";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { getPortwatchPrincipal } from "@/lib/db/installation";
import { memberPermissionsPolicyJson, memberTrustPolicyJson, PORTWATCH_PRINCIPAL_PLACEHOLDER, permissionsSummary } from "@/lib/accounts/trust-policy";
import { requirePageRole } from "@/lib/auth/guard";
import { ensureExternalId, listAwsAccounts } from "@/lib/db/aws-accounts";
import { getSettings } from "@/lib/db/settings";
import { AccountForm } from "./account-form";
import { type AccountView, AccountsTable } from "./accounts-table";
import { CodeBlock } from "@/components/ui/code-block";
import { CopyButton } from "@/components/ui/copy-button";
import { DeployRoles } from "./deploy-roles";

export const metadata: Metadata = { title: "Accounts" };

// Accounts, roles and the external id are set-up information: admins change them, security
// leads test them; FinOps and auditors see results, not how Portwatch reaches AWS.
const VIEWERS = ["admin", "security"] as const;

export default async function AccountsPage() {
  const user = await requirePageRole(VIEWERS);
  const canEdit = user.role === "admin";
  const [accounts, settings, externalId, principal] = await Promise.all([listAwsAccounts(), getSettings(), ensureExternalId(), getPortwatchPrincipal()]);
  const trustPolicy = memberTrustPolicyJson({ externalId, principal: principal ?? undefined });
  const views: AccountView[] = accounts.map((a) => ({
    id: a.id,
    name: a.name,
    environment: a.environment,
    roleArn: a.roleArn,
    regions: a.regions,
    enabled: a.enabled,
    source: a.source,
    email: a.email,
    orgStatus: a.orgStatus,
    lastTest: a.lastTest,
  }));
  return (
    <>
      <PageHeader title="Accounts" description="The AWS accounts Portwatch reads, each through a read-only role." />
      {accounts.length === 0 ? (
        <EmptyState title="No AWS accounts yet">
          <p>
            Portwatch reads each account through a read-only IAM role that trusts it with this installation&apos;s
            external id (below). Accounts come from the accounts config file, from AWS Organizations discovery, or are
            added here by an admin; each is listed with its role, regions, where it came from and its last connection
            test.
          </p>
        </EmptyState>
      ) : (
        <QueryProvider>
          <AccountsTable accounts={views} defaultRegions={settings.defaultRegions} canEdit={canEdit} canTest />
        </QueryProvider>
      )}

      {canEdit ? (
        <section className="card" aria-labelledby="add-account">
          <h2 id="add-account">Add an account</h2>
          <AccountForm defaultRegions={settings.defaultRegions} />
        </section>
      ) : null}

      <section className="card" aria-labelledby="member-role">
        <h2 id="member-role">The member role</h2>
        <p>
          In each account, create a role Portwatch may assume only with this installation&apos;s external id, and give it
          the read-only permissions below.
        </p>
        <dl className="facts">
          <dt>External id</dt>
          <dd>
            <code data-testid="external-id">{externalId}</code> <CopyButton text={externalId} label="Copy external id" />
          </dd>
        </dl>
        <h3>Trust policy</h3>
        {principal ? (
          <p className="muted small">
            It trusts <code>{principal}</code>: who Portwatch&apos;s collector runs as, according to STS GetCallerIdentity when
            a worker last started.
          </p>
        ) : (
          <p className="muted small">
            Replace <code>{PORTWATCH_PRINCIPAL_PLACEHOLDER}</code> with the account (or the role) whose credentials Portwatch
            runs with (no worker has been able to ask STS yet).
          </p>
        )}
        <CodeBlock text={trustPolicy} copyLabel="Copy trust policy" testId="trust-policy" />
        <h3>Permissions (read-only)</h3>
        <ul className="link-list small">
          {permissionsSummary().map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
        <details>
          <summary>Permissions policy JSON</summary>
          <CodeBlock text={memberPermissionsPolicyJson()} copyLabel="Copy permissions policy" />
        </details>
      </section>

      <section className="card" aria-labelledby="org-roles">
        <h2 id="org-roles">Discovery and cost roles</h2>
        <p className="muted small">Set in the accounts config file (its organizations and costExplorer sections).</p>
        <dl className="facts">
          <dt>Organizations role</dt>
          <dd>
            {settings.organizations ? (
              <>
                <span className="mono">{settings.organizations.roleArn}</span>; member role name{" "}
                <span className="mono">{settings.organizations.memberRoleName}</span>
              </>
            ) : (
              <span className="muted">not configured: only listed accounts are collected</span>
            )}
          </dd>
          <dt>Cost Explorer role</dt>
          <dd>
            {settings.costExplorer ? (
              <>
                <span className="mono">{settings.costExplorer.roleArn}</span>; {settings.costExplorer.lookbackDays} days back
              </>
            ) : (
              <span className="muted">not configured: no cost data is collected</span>
            )}
          </dd>
          <dt>Default regions</dt>
          <dd>{settings.defaultRegions.join(", ")}</dd>
        </dl>
      </section>

      <DeployRoles externalId={externalId} principal={principal} settings={settings} />
    </>
  );
}
