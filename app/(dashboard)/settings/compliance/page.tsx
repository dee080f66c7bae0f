import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageRole } from "@/lib/auth/guard";
import { getSettings } from "@/lib/db/settings";
import { DEFAULT_COMPLIANCE_THRESHOLDS, SETTINGS } from "@/lib/settings";
import { ComplianceSettingsForm } from "./compliance-settings-form";
import { FIELD_GROUPS, type FieldKey, type FormValues, defaultText, toFormValue } from "./fields";

export const metadata: Metadata = { title: "Compliance settings" };

export default async function ComplianceSettingsPage() {
  await requirePageRole(["admin", "security"]);
  const settings = await getSettings();
  const current: Record<FieldKey, unknown> = {
    ...settings.complianceThresholds,
    vulnerabilityThreshold: settings.vulnerabilityThreshold,
    trustedAccounts: settings.trustedAccounts,
    resultRetentionRuns: settings.resultRetentionRuns,
  };
  const defaults: Record<FieldKey, unknown> = {
    ...DEFAULT_COMPLIANCE_THRESHOLDS,
    vulnerabilityThreshold: SETTINGS.vulnerabilityThreshold.default,
    trustedAccounts: SETTINGS.trustedAccounts.default,
    resultRetentionRuns: SETTINGS.resultRetentionRuns.default,
  };
  const initial = {} as FormValues;
  const defaultHelp = {} as Record<FieldKey, string>;
  for (const group of FIELD_GROUPS) {
    for (const field of group.fields) {
      initial[field.key] = toFormValue(field, current[field.key]);
      defaultHelp[field.key] = defaultText(field, defaults[field.key]);
    }
  }
  return (
    <>
      <p className="small">
        <Link href="/settings">← Settings</Link>
      </p>
      <PageHeader title="Compliance settings" description="The thresholds and lists the compliance checks compare against; every change is in the audit log." />
      <p className="notice" role="note">
        Saving re-evaluates the latest collection run with the new values at once, so the <Link href="/compliance">compliance</Link> pages show them without waiting for the
        next collection. AWS is not called again.
      </p>
      <ComplianceSettingsForm initial={initial} defaults={defaultHelp} />
    </>
  );
}
