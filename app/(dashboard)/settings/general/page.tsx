import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageRole } from "@/lib/auth/guard";
import { getSettings } from "@/lib/db/settings";
import { nextCronRuns, SETTINGS } from "@/lib/settings";
import { CollectScheduleForm } from "./collect-schedule-form";
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
      <section className="card" aria-labelledby="collection-schedule">
        <h2 id="collection-schedule">Collection</h2>
        <CollectScheduleForm
          initial={settings.collectSchedule}
          initialRuns={nextCronRuns(settings.collectSchedule, 3).map((d) => d.toISOString())}
          help={SETTINGS.collectSchedule.help}
        />
        <p className="muted small">
          AWS accounts, their roles, and the Organizations and Cost Explorer roles are on the <Link href="/accounts">Accounts</Link> page.
        </p>
      </section>
    </>
  );
}
