import type { CheckResult, ImageFacts, RepositoryFacts } from "../types";
import { latestScannableImage } from "@/lib/latest-image";
import { notApplicable, unreadable } from "./result";

/**
 * The image a latest-image check judges, or the check's result when there is none: ERROR when
 * DescribeImages failed, NOT_APPLICABLE with no images or only artifacts (`artifactsNote` ends
 * that reason).
 */
export function latestImageToJudge(repo: RepositoryFacts, artifactsNote = ""): { image: ImageFacts } | { result: CheckResult } {
  const failure = unreadable(repo.readErrors, ["DescribeImages"]);
  if (failure) return { result: failure };
  if (repo.images.length === 0) return { result: notApplicable("The repository has no images") };
  const image = latestScannableImage(repo.images);
  if (!image) return { result: notApplicable(`The repository's ${repo.images.length} artifacts are signatures or other non-image artifacts${artifactsNote}`, { artifactCount: repo.images.length }) };
  return { image };
}
