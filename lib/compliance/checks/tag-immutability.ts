import type { Filter, RepositoryCheck } from "../types";
import { fail, manual, pass } from "./result";

/** "latest, dev-* (WILDCARD)" */
function describeFilters(filters: Filter[] | null): string {
  if (filters === null) return "exclusion filters not recorded";
  if (filters.length === 0) return "no exclusion filters";
  const shown = filters.slice(0, 10).map((f) => `${f.filter} (${f.filterType})`).join(", ");
  return filters.length > 10 ? `${shown} and ${filters.length - 10} more` : shown;
}

/** ECR.2: image tags cannot be overwritten (spec/CONTROLS.md, tag-immutability). */
export const tagImmutability: RepositoryCheck = {
  id: "tag-immutability",
  scope: "repository",
  evaluate(repository, _registry, ctx) {
    const mutability = repository.imageTagMutability;
    const exclusions = repository.tagMutabilityExclusions;
    const evidence = { imageTagMutability: mutability, tagMutabilityExclusions: exclusions?.slice(0, 10) ?? null, exclusionCount: exclusions?.length ?? null };
    switch (mutability) {
      case "IMMUTABLE":
        return pass("imageTagMutability is IMMUTABLE: no tag can be overwritten", evidence);
      case "IMMUTABLE_WITH_EXCLUSION": {
        const filters = describeFilters(exclusions);
        if (ctx.settings.exclusionsFailImmutability) {
          return fail(`imageTagMutability is IMMUTABLE_WITH_EXCLUSION: tags matching ${filters} can be overwritten, and the settings fail exclusions`, {
            ...evidence,
            exclusionsFailImmutability: true,
          });
        }
        return pass(`imageTagMutability is IMMUTABLE_WITH_EXCLUSION: tags are immutable except those matching ${filters}`, evidence);
      }
      case "MUTABLE":
        return fail("imageTagMutability is MUTABLE: every tag can be overwritten", evidence);
      case "MUTABLE_WITH_EXCLUSION":
        return fail(`imageTagMutability is MUTABLE_WITH_EXCLUSION: only tags matching ${describeFilters(exclusions)} are immutable, every other tag can be overwritten`, evidence);
      default:
        return manual(`imageTagMutability is ${mutability ? `"${mutability}"` : "empty"}, a value ECR does not document`, evidence);
    }
  },
};
