import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { deployCommands, DeployRoles, type DeployRolesProps } from "@/app/(dashboard)/accounts/deploy-roles";
import { loadTemplate } from "@/test/deploy-cloudformation";
import { asList, readPolicy, sorted, statementActions } from "@/test/deploy-iam";

// The Accounts page's "Deploy the read-only roles" section: what an admin copies must name this
// installation's external id and principal, and parameters the templates actually have.

const EXTERNAL_ID = "pw-0123456789abcdef0123";
const settings: DeployRolesProps["settings"] = { organizations: null, costExplorer: null, defaultRegions: ["eu-west-1", "us-east-1"] };

const render = (props: Partial<DeployRolesProps> = {}) => {
  const html = renderToStaticMarkup(DeployRoles({ externalId: EXTERNAL_ID, principal: "arn:aws:iam::123456789012:role/portwatch", settings, ...props }));
  // Text as a reader sees it (entities decoded, tags dropped).
  return html.replace(/<[^>]+>/g, " ").replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
};

/** `Key="value"` and `ParameterKey=Key,ParameterValue="value"` pairs in a command text. */
function parameters(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/ParameterKey=(\w+),ParameterValue="([^"]*)"/g)) out[m[1]] = m[2];
  // --parameter-overrides Key="value" (a ParameterValue= is preceded by a comma, not a space).
  for (const m of text.matchAll(/(?:^|\s)(\w+)="([^"]*)"/g)) out[m[1]] = m[2];
  return out;
}

describe("Deploy the read-only roles", () => {
  const values = { principalArn: "arn:aws:iam::123456789012:role/portwatch", externalId: EXTERNAL_ID, memberRoleName: "PortwatchReadOnly", orgReaderRoleName: "PortwatchOrgReader", costReaderRoleName: "PortwatchCostReader", region: "eu-west-1" };

  it("fills the principal and the external id into commands whose parameters the templates define", () => {
    const commands = deployCommands(values);
    const member = loadTemplate("cloudformation/member-role.yaml").Parameters;
    const management = loadTemplate("cloudformation/management-roles.yaml").Parameters;
    for (const [text, template] of [[commands.oneAccount, member], [commands.stackSet, member], [commands.management, management]] as const) {
      const given = parameters(text);
      expect(given).toMatchObject({ PortwatchPrincipalArn: values.principalArn, ExternalId: EXTERNAL_ID });
      for (const key of Object.keys(given).filter((k) => k !== "OrganizationalUnitIds")) expect(Object.keys(template), key).toContain(key);
    }
    expect(parameters(commands.oneAccount).IncludeManifestRead).toBe("true");
    expect(commands.stackSet).toContain("--permission-model SERVICE_MANAGED");
    expect(commands.stackSet).toContain("--regions eu-west-1");
    // Default role names are the templates' defaults: not repeated.
    expect(commands.oneAccount).not.toContain("RoleName");
  });

  it("passes a configured role name that is not the default", () => {
    const commands = deployCommands({ ...values, memberRoleName: "AcmeEcrAudit", costReaderRoleName: "AcmeCost" });
    expect(parameters(commands.stackSet).RoleName).toBe("AcmeEcrAudit");
    expect(parameters(commands.management)).toMatchObject({ CostReaderRoleName: "AcmeCost" });
    expect(parameters(commands.management).OrgReaderRoleName).toBeUndefined();
  });

  it("shows the three roles with exactly their policies' actions, the values in use and the guide's path", () => {
    const text = render({
      settings: { ...settings, organizations: { roleArn: "arn:aws:iam::999999999999:role/AcmeOrg", memberRoleName: "AcmeEcrAudit" }, costExplorer: null },
    });
    expect(text).toContain("Deploy the read-only roles");
    expect(text).toContain(EXTERNAL_ID);
    expect(text).toContain("arn:aws:iam::123456789012:role/portwatch");
    expect(text).toContain("deploy/README.md");
    for (const name of ["AcmeEcrAudit", "AcmeOrg", "PortwatchCostReader"]) expect(text).toContain(name);
    const shown = sorted([...text.matchAll(/\b(?:ecr|inspector2|kms|cloudtrail|guardduty|ec2|organizations|ce):[A-Za-z]+/g)].map((m) => m[0]));
    const granted = sorted((["member", "orgReader", "costReader"] as const).flatMap((r) => statementActions(readPolicy(r).Statement)));
    expect(shown).toEqual(granted);
    expect(asList(readPolicy("member").Statement[1].Action)).toEqual(["ecr:BatchGetImage"]);
  });

  it("says so when Portwatch's principal is not known yet", () => {
    const text = render({ principal: null });
    expect(text).toContain("arn:aws:iam::<PORTWATCH_ACCOUNT_ID>:root");
    expect(text).toContain("no worker has asked STS yet");
    expect(text).toMatch(/PortwatchPrincipalArn="arn:aws:iam::<PORTWATCH_ACCOUNT_ID>:root"/);
  });
});
