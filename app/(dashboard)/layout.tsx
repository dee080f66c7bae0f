import { AppShell } from "@/components/shell/app-shell";
import { requirePageRole } from "@/lib/auth/guard";
import { ANY_ROLE } from "@/lib/auth/roles";
import { getSettings } from "@/lib/db/settings";

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const user = await requirePageRole(ANY_ROLE);
  const settings = await getSettings();
  return (
    <AppShell user={user} organisation={settings.organisationName}>
      {children}
    </AppShell>
  );
}
