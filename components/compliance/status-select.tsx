import { RESULT_STATUSES, type ResultStatus } from "@/lib/compliance/types";
import { STATUS_LABELS } from "./status-badge";

/** The Status filter of a GET form: every result status, or All. */
export function StatusSelect({ selected }: { selected: readonly ResultStatus[] }) {
  return (
    <label>
      Status
      <select name="status" defaultValue={selected.length === 1 ? selected[0] : ""}>
        <option value="">All</option>
        {RESULT_STATUSES.map((s) => (
          <option key={s} value={s}>
            {STATUS_LABELS[s]}
          </option>
        ))}
      </select>
    </label>
  );
}
