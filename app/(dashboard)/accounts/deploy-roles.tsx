import { CodeBlock } from "@/components/ui/code-block";
import costReaderPolicy from "@/deploy/iam/cost-reader-policy.json";
import memberPolicy from "@/deploy/iam/member-read-only-policy.json";
import orgReaderPolicy from "@/deploy/iam/org-reader-policy.json";
import { buildMemberTrustPolicy } from "@/lib/accounts/trust-policy";
import type { Settings } from "@/lib/settings";

/**
 * "Deploy the read-only roles": the three roles of deploy/ with the actions their policies grant
 * (read from deploy/iam, the files the templates and test/deploy.test.ts hold to the collector's
 * calls), and the aws cli commands with this installation's values filled in. Server component:
 * the commands are plain text; only the copy buttons run in the browser.
 */

const DEFAULT_NAMES = { member: "PortwatchReadOnly", orgReader: "PortwatchOrgReader", costReader: "PortwatchCostReader" } as const;
const OU_PLACEHOLDER = "<ROOT_OR_OU_ID>";

export interface DeployRolesProps {
  externalId: string;
  /** Who Portwatch runs as (an account id or an IAM ARN), null until a worker has asked STS. */
  principal: string | null;
  settings: Pick<Settings, "organizations" | "costExplorer" | "defaultRegions">;
}

interface DeployValues {
  principalArn: string;
  externalId: string;
  memberRoleName: string;
  orgReaderRoleName: string;
  costReaderRoleName: string;
  /** IAM is global: a StackSet needs one region to run its stacks from. */
  region: string;
}

const roleNameOf = (roleArn: string | undefined) => roleArn?.split(":role/")[1]?.split("/").at(-1);

/** `Key=Value` overrides, leaving out a role name that is the template's default anyway. */
function overrides(values: Record<string, string>, defaults: Record<string, string> = {}): [string, string][] {
  return Object.entries(values).filter(([key, value]) => defaults[key] !== value);
}

export function deployCommands(v: DeployValues): { oneAccount: string; stackSet: string; management: string } {
  const member = overrides({ PortwatchPrincipalArn: v.principalArn, ExternalId: v.externalId, RoleName: v.memberRoleName, IncludeManifestRead: "true" }, { RoleName: DEFAULT_NAMES.member });
  const management = overrides(
    { PortwatchPrincipalArn: v.principalArn, ExternalId: v.externalId, OrgReaderRoleName: v.orgReaderRoleName, CostReaderRoleName: v.costReaderRoleName },
    { OrgReaderRoleName: DEFAULT_NAMES.orgReader, CostReaderRoleName: DEFAULT_NAMES.costReader },
  );
  const deploy = (stack: string, template: string, params: [string, string][]) =>
    [
      "aws cloudformation deploy \\",
      `  --stack-name ${stack} \\`,
      `  --template-file deploy/cloudformation/${template} \\`,
      "  --capabilities CAPABILITY_NAMED_IAM \\",
      `  --parameter-overrides ${params.map(([k, value]) => `${k}="${value}"`).join(" ")}`,
    ].join("\n");
  const stackSet = [
    "aws cloudformation activate-organizations-access",
    "",
    "aws cloudformation create-stack-set \\",
    "  --stack-set-name portwatch-read-only \\",
    "  --template-body file://deploy/cloudformation/member-role.yaml \\",
    "  --permission-model SERVICE_MANAGED \\",
    "  --auto-deployment Enabled=true,RetainStacksOnAccountRemoval=false \\",
    "  --capabilities CAPABILITY_NAMED_IAM \\",
    `  --parameters ${member.map(([k, value]) => `ParameterKey=${k},ParameterValue="${value}"`).join(" \\\n               ")}`,
    "",
    "aws cloudformation create-stack-instances \\",
    "  --stack-set-name portwatch-read-only \\",
    `  --deployment-targets OrganizationalUnitIds="${OU_PLACEHOLDER}" \\`,
    `  --regions ${v.region} \\`,
    "  --operation-preferences FailureToleranceCount=0,MaxConcurrentPercentage=25",
  ].join("\n");
  return {
    oneAccount: deploy("portwatch-read-only", "member-role.yaml", member),
    stackSet,
    management: deploy("portwatch-management-roles", "management-roles.yaml", management),
  };
}

function CommandBlock({ id, title, copyLabel, text, children }: { id: string; title: string; copyLabel: string; text: string; children: React.ReactNode }) {
  return (
    <>
      <h3 id={id}>{title}</h3>
      <p className="muted small">{children}</p>
      <CodeBlock text={text} copyLabel={copyLabel} testId={id} />
    </>
  );
}

export function DeployRoles({ externalId, principal, settings }: DeployRolesProps) {
  // The same principal the trust policy above names (a placeholder until a worker has asked STS).
  const principalArn = buildMemberTrustPolicy({ externalId, principal: principal ?? undefined }).Statement[0].Principal.AWS;
  const names = {
    member: settings.organizations?.memberRoleName ?? DEFAULT_NAMES.member,
    orgReader: roleNameOf(settings.organizations?.roleArn) ?? DEFAULT_NAMES.orgReader,
    costReader: roleNameOf(settings.costExplorer?.roleArn) ?? DEFAULT_NAMES.costReader,
  };
  const commands = deployCommands({
    principalArn,
    externalId,
    memberRoleName: names.member,
    orgReaderRoleName: names.orgReader,
    costReaderRoleName: names.costReader,
    region: settings.defaultRegions[0] ?? "us-east-1",
  });
  const [required, optional] = memberPolicy.Statement;
  const roles = [
    { name: names.member, where: "Every member account", actions: required.Action, extra: optional.Action },
    { name: names.orgReader, where: "Management account", actions: orgReaderPolicy.Statement.flatMap((s) => s.Action), extra: [] },
    { name: names.costReader, where: "Management (payer) account", actions: costReaderPolicy.Statement.flatMap((s) => s.Action), extra: [] },
  ];
  return (
    <section className="card" aria-labelledby="deploy-roles">
      <h2 id="deploy-roles">Deploy the read-only roles</h2>
      <p className="small">
        Ready-made CloudFormation templates, a StackSet for the whole organisation, a Terraform module and the plain IAM
        policies ship in Portwatch&apos;s <code>deploy/</code> directory; <code>deploy/README.md</code> explains each role and
        each action. Every role trusts only Portwatch&apos;s principal, only with this installation&apos;s external id, for
        one-hour sessions, and may only read: no write action, no image layer download.
      </p>
      <dl className="facts">
        <dt>External id</dt>
        <dd>
          <code>{externalId}</code>
        </dd>
        <dt>Portwatch&apos;s principal</dt>
        <dd>
          <code data-testid="deploy-principal">{principalArn}</code>
          {principal ? null : <span className="muted small"> (replace it: no worker has asked STS yet)</span>}
        </dd>
      </dl>

      <div className="table-wrap">
        <table aria-label="Roles to deploy">
          <thead>
            <tr>
              <th scope="col">Role</th>
              <th scope="col">Where</th>
              <th scope="col">May call</th>
            </tr>
          </thead>
          <tbody>
            {roles.map((role) => (
              <tr key={role.where}>
                <td className="mono">{role.name}</td>
                <td>{role.where}</td>
                <td className="small">
                  <span className="mono">{role.actions.join(", ")}</span>
                  {role.extra.length ? (
                    <>
                      {" "}
                      and, optionally (image manifests only, for layer-accurate cost), <span className="mono">{role.extra.join(", ")}</span>
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <CommandBlock id="deploy-one-account" title="One account (CloudFormation stack)" copyLabel="Copy stack command" text={commands.oneAccount}>
        Run in the account, from a checkout or the installed package&apos;s directory. Set IncludeManifestRead=false to leave
        out ecr:BatchGetImage.
      </CommandBlock>
      <CommandBlock id="deploy-stack-set" title="Every account of the organisation (service-managed StackSet)" copyLabel="Copy StackSet commands" text={commands.stackSet}>
        Run in the management account (or add --call-as DELEGATED_ADMIN); replace {OU_PLACEHOLDER} with the organisation&apos;s
        root id (aws organizations list-roots) or the OUs to cover. A StackSet does not deploy to the management account
        itself: use the stack above there if it holds repositories.
      </CommandBlock>
      <CommandBlock id="deploy-management" title="Management account: Organizations and Cost Explorer readers" copyLabel="Copy management stack command" text={commands.management}>
        Creates {names.orgReader} and {names.costReader}; CreateOrgReader=false or CreateCostReader=false leaves one out.
      </CommandBlock>
      <p className="muted small">
        Terraform: the module <code>deploy/terraform/portwatch-roles</code> creates the same roles. Step by step, with the
        policy Portwatch&apos;s own principal needs: <code>deploy/README.md</code>.
      </p>
    </section>
  );
}
