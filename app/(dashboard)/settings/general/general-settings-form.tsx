"use client";

import { useAction } from "next-safe-action/hooks";
import { actionErrorMessage } from "@/components/ui/action-result";
import { updateSettingsAction } from "@/lib/actions/settings";

interface Props {
  initial: { organisationName: string; defaultRegions: string };
  help: { organisationName: string; defaultRegions: string };
}

export function GeneralSettingsForm({ initial, help }: Props) {
  const { execute, result, isPending } = useAction(updateSettingsAction);
  const error = actionErrorMessage(result, { organisationName: "Organisation name", defaultRegions: "Default regions" });
  return (
    <form
      className="form"
      onSubmit={(event) => {
        event.preventDefault();
        const data = new FormData(event.currentTarget);
        execute({ organisationName: String(data.get("organisationName")), defaultRegions: String(data.get("defaultRegions")) });
      }}
    >
      <label>
        Organisation name
        <input name="organisationName" defaultValue={initial.organisationName} maxLength={80} required />
        <small>{help.organisationName}</small>
      </label>
      <label>
        Default regions
        <input name="defaultRegions" defaultValue={initial.defaultRegions} required />
        <small>{help.defaultRegions} Separate regions with commas.</small>
      </label>
      <button type="submit" className="button" disabled={isPending}>
        Save
      </button>
      {error ? <p className="form-error" role="status">{error}</p> : null}
      {result.data ? (
        <p className="form-ok" role="status">
          {result.data.changed.length ? `Saved: ${result.data.changed.join(", ")}.` : "Nothing changed."}
        </p>
      ) : null}
    </form>
  );
}
