import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageRole } from "@/lib/auth/guard";
import { getSettings } from "@/lib/db/settings";
import { SETTINGS } from "@/lib/settings";
import { GeneralSettingsForm } from "./general-settings-form";

export const metadata: Metadata = { title: "General settings" };

export default async function GeneralSettingsPage() {
  await requirePageRole(["admin"]);
  const settings = await getSettings();
  return (
    <>
      <PageHeader title="General settings" description="Installation-wide settings; every change is in the audit log." />
      <section className="card">
        <GeneralSettingsForm
          initial={{ organisationName: settings.organisationName, defaultRegions: settings.defaultRegions.join(", ") }}
          help={{ organisationName: SETTINGS.organisationName.help, defaultRegions: SETTINGS.defaultRegions.help }}
        />
      </section>
    </>
  );
}
