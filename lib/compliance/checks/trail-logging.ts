import type { AdvancedFieldSelector, CheckResult, RegistryCheck, RegistryFacts, TrailFacts } from "../types";
import { error, fail, pass, unreadable } from "./result";

/**
 * AU-2 / LOG-01: some CloudTrail trail covering the registry's region is logging and records
 * management events, reads and writes (ECR's API calls are management events: PutImage,
 * SetRepositoryPolicy, BatchGetImage ...). Organization trails count like the account's own.
 */

const ECR_EVENT_SOURCE = "ecr.amazonaws.com";

/** What a trail's selectors record of ECR's management events. */
type Management =
  | { kind: "all" }
  | { kind: "read-only" | "write-only" | "none"; detail: string }
  /** The selectors were not read (GetEventSelectors failed or was not collected). */
  | { kind: "unknown" };

function basicManagement(selectors: NonNullable<TrailFacts["eventSelectors"]>): Management {
  let read = false;
  let write = false;
  for (const s of selectors) {
    if (!s.includeManagementEvents) continue;
    if (s.readWriteType === "All") return { kind: "all" };
    if (s.readWriteType === "ReadOnly") read = true;
    if (s.readWriteType === "WriteOnly") write = true;
  }
  // A ReadOnly and a WriteOnly selector together record everything.
  if (read && write) return { kind: "all" };
  if (read) return { kind: "read-only", detail: "records read-only management events (ReadWriteType ReadOnly), not ECR's writes" };
  if (write) return { kind: "write-only", detail: "records write-only management events (ReadWriteType WriteOnly), not ECR's reads" };
  return { kind: "none", detail: "records no management events (IncludeManagementEvents false)" };
}

/** Whether an event whose `field` has `value` passes this field selector (no selector: every value does). */
function allows(selector: AdvancedFieldSelector | undefined, value: string): boolean {
  if (!selector) return true;
  const any = (list: string[] | undefined, test: (p: string) => boolean) => !list?.length || list.some(test);
  const none = (list: string[] | undefined, test: (p: string) => boolean) => !list?.some(test);
  return (
    any(selector.equals, (p) => p === value) &&
    any(selector.startsWith, (p) => value.startsWith(p)) &&
    any(selector.endsWith, (p) => value.endsWith(p)) &&
    none(selector.notEquals, (p) => p === value) &&
    none(selector.notStartsWith, (p) => value.startsWith(p)) &&
    none(selector.notEndsWith, (p) => value.endsWith(p))
  );
}

function advancedManagement(selectors: NonNullable<TrailFacts["advancedEventSelectors"]>): Management {
  let read = false;
  let write = false;
  let excludesEcr = false;
  for (const s of selectors) {
    const field = (name: string) => s.fieldSelectors.find((f) => f.field === name);
    // An advanced selector must name its category; one without eventCategory records nothing.
    const category = field("eventCategory");
    if (!category || !allows(category, "Management")) continue;
    // An eventSource selector that leaves out ECR (Equals other sources, NotEquals ECR, a prefix
    // ECR does not have) records other services' management events only.
    if (!allows(field("eventSource"), ECR_EVENT_SOURCE)) {
      excludesEcr = true;
      continue;
    }
    const readOnly = field("readOnly");
    const reads = allows(readOnly, "true");
    const writes = allows(readOnly, "false");
    if (reads && writes) return { kind: "all" };
    if (reads) read = true;
    if (writes) write = true;
  }
  if (read && write) return { kind: "all" };
  if (read) return { kind: "read-only", detail: "records read-only management events (readOnly = true), not ECR's writes" };
  if (write) return { kind: "write-only", detail: "records write-only management events (readOnly = false), not ECR's reads" };
  if (excludesEcr) return { kind: "none", detail: `records management events of other event sources only (eventSource excludes ${ECR_EVENT_SOURCE})` };
  return { kind: "none", detail: "records no management events (no advanced selector with eventCategory Management)" };
}

function managementOf(trail: TrailFacts): Management {
  if (trail.eventSelectors) return basicManagement(trail.eventSelectors);
  if (trail.advancedEventSelectors) return advancedManagement(trail.advancedEventSelectors);
  return { kind: "unknown" };
}

const label = (t: TrailFacts) => `"${t.name}"${t.organizationTrail ? " (organization trail)" : ""}`;

function summary(t: TrailFacts, m: Management) {
  return {
    name: t.name,
    arn: t.arn,
    homeRegion: t.homeRegion,
    multiRegion: t.multiRegion,
    organizationTrail: t.organizationTrail,
    isLogging: t.isLogging,
    management: m.kind,
    selectors: t.eventSelectors ? "basic" : t.advancedEventSelectors ? "advanced" : null,
  };
}

function capped<T>(items: T[], max = 10) {
  return items.length > max ? { items: items.slice(0, max), count: items.length } : { items, count: items.length };
}

function evaluateTrails(registry: RegistryFacts, trails: TrailFacts[]): CheckResult {
  const { region, readErrors } = registry;
  const covering = trails.filter((t) => t.multiRegion || t.homeRegion === region);
  const judged = covering.map((t) => ({ trail: t, management: managementOf(t) }));
  const evidence = { region, trailsSeen: trails.length, coveringTrails: capped(judged.map((j) => summary(j.trail, j.management))) };

  const passing = judged.find((j) => j.trail.isLogging === true && j.management.kind === "all");
  if (passing) {
    const t = passing.trail;
    const coverage = t.multiRegion ? `multi-region, home ${t.homeRegion}` : `home region ${t.homeRegion}`;
    return pass(`Trail ${label(t)} (${coverage}) is logging and records all management events in ${region}`, { ...evidence, trail: summary(t, passing.management) });
  }

  if (covering.length === 0) {
    return fail(
      trails.length === 0
        ? `No CloudTrail trail in ${region}: ECR API calls are not recorded`
        : `None of the ${trails.length} trail(s) seen covers ${region} (${trails.map((t) => `"${t.name}" single-region in ${t.homeRegion}`).slice(0, 5).join(", ")}): ECR API calls here are not recorded`,
      evidence,
    );
  }

  // A trail whose unknown half could still make it pass leaves the answer unknown.
  const statusUnknown = judged.filter((j) => j.trail.isLogging === null && (j.management.kind === "all" || j.management.kind === "unknown"));
  const selectorsUnknown = judged.filter((j) => j.trail.isLogging !== false && j.management.kind === "unknown");
  if (statusUnknown.length > 0 || selectorsUnknown.length > 0) {
    const operation = statusUnknown.length > 0 ? "GetTrailStatus" : "GetEventSelectors";
    const names = (statusUnknown.length > 0 ? statusUnknown : selectorsUnknown).map((j) => label(j.trail)).join(", ");
    const failure = unreadable(readErrors, [operation], evidence);
    const what = operation === "GetTrailStatus" ? "whether it is logging" : "which events it records";
    if (failure) return { ...failure, reason: `No trail is known to record ECR management events in ${region}: for ${names}, ${what} is unknown (${failure.reason})` };
    return error(`No trail is known to record ECR management events in ${region}: for ${names}, ${what} was not collected (${operation})`, evidence);
  }

  const problems = judged.map(({ trail, management }) => {
    if (trail.isLogging === false) return `${label(trail)} is not logging`;
    return `${label(trail)} ${management.kind === "all" || management.kind === "unknown" ? "records no management events" : management.detail}`;
  });
  return fail(`No trail records ECR management events in ${region}: ${problems.slice(0, 5).join("; ")}${problems.length > 5 ? ` (and ${problems.length - 5} more)` : ""}`, evidence);
}

export const trailLogging: RegistryCheck = {
  id: "trail-logging",
  scope: "registry",
  evaluate(registry) {
    const failed = unreadable(registry.readErrors, ["DescribeTrails"], { region: registry.region });
    if (failed) return failed;
    if (registry.trails === null) return error(`The trails of ${registry.region} were not collected (no DescribeTrails answer and no recorded failure)`, { region: registry.region });
    return evaluateTrails(registry, registry.trails);
  },
};
