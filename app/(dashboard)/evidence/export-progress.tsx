"use client";

import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { queryKeys } from "@/lib/query-keys";

interface Status {
  status: "queued" | "running" | "done" | "failed";
  progress: number;
  progressText: string | null;
  error: string | null;
}

/** A queued or running export's progress, polled until it ends; then the list is refreshed. */
export function ExportProgress({ id, initial }: { id: string; initial: Status }) {
  const router = useRouter();
  const { data } = useQuery({
    queryKey: queryKeys.evidence.export(id),
    queryFn: async (): Promise<Status> => {
      const response = await fetch(`/api/evidence/${id}`, { cache: "no-store" });
      if (!response.ok) throw new Error(`status ${response.status}`);
      return (await response.json()) as Status;
    },
    initialData: initial,
    refetchInterval: (query) => (query.state.data && (query.state.data.status === "done" || query.state.data.status === "failed") ? false : 1000),
  });
  const ended = data.status === "done" || data.status === "failed";
  useEffect(() => {
    if (ended) router.refresh();
  }, [ended, router]);
  return (
    <div>
      <div className="progress" role="progressbar" aria-label={`Export ${id} progress`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={data.progress} aria-valuetext={`${data.progress}%: ${data.progressText ?? data.status}`}>
        <div className="progress-done" style={{ width: `${data.progress}%` }} />
      </div>
      <span className="small muted">{data.status === "queued" ? "Queued" : (data.progressText ?? data.status)}</span>
    </div>
  );
}
