import { FilterSelect } from "@/components/tables/filter-form";
import { RESULT_STATUSES, type ResultStatus } from "@/lib/compliance/types";
import { STATUS_LABELS } from "./status-badge";

/** The Status filter of a GET form: every result status, or All (several selected: All is shown). */
export function StatusSelect({ selected }: { selected: readonly ResultStatus[] }) {
  return <FilterSelect label="Status" name="status" value={selected.length === 1 ? selected[0] : ""} options={RESULT_STATUSES.map((s) => [s, STATUS_LABELS[s]] as const)} />;
}
