import { ExceptionMatcher, type ExceptionRule, isActive } from "./exceptions";
import type {
  AccountCheck,
  AccountFacts,
  Check,
  CheckContext,
  CheckOutcome,
  CheckResult,
  CheckStatus,
  ControlDefinition,
  ControlResult,
  Evidence,
  FrameworkPack,
  RegistryCheck,
  RegistryFacts,
  RepositoryCheck,
  RepositoryFacts,
  Scope,
} from "./types";

/** An attestation as the evaluator needs it. */
export interface AttestationFacts {
  id: string;
  framework: string;
  control: string;
  attester: string;
  attestedAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  text: string;
  fileName: string | null;
}

/** Where a resource's facts came from: the run whose snapshot was read, and when it was collected. */
export interface Provenance {
  runId: number;
  collectedAt: Date | null;
}

/** A registry the run could not read (its target failed): every result there is ERROR. */
export interface UnreadRegistry {
  accountId: string;
  region: string;
  errorName: string;
  operation: string;
  message: string;
  /** Repositories known from an earlier snapshot, if any. */
  repositoryArns: string[];
}

interface CompiledControl {
  framework: FrameworkPack;
  control: ControlDefinition;
  repository: RepositoryCheck[];
  registry: RegistryCheck[];
  account: AccountCheck[];
}

const CONTROL_ORDER: readonly CheckStatus[] = ["FAIL", "ERROR", "MANUAL", "PASS", "INHERITED", "NOT_APPLICABLE"];

/**
 * spec/CONTROLS.md: FAIL if any check FAILs; else ERROR; else MANUAL; else PASS (INHERITED counts
 * as PASS but is shown as INHERITED when every judged check is inherited); NOT_APPLICABLE only
 * when every check is.
 */
export function combineStatuses(statuses: readonly CheckStatus[]): CheckStatus {
  let seen = 0;
  for (const s of statuses) seen |= 1 << CONTROL_ORDER.indexOf(s);
  for (let i = 0; i < CONTROL_ORDER.length; i++) if (seen & (1 << i)) return CONTROL_ORDER[i];
  return "NOT_APPLICABLE";
}

/**
 * Evaluates snapshots against framework packs. One instance per evaluation: it compiles each
 * control's checks per scope once, runs each check at most once per resource (a check shared by
 * several controls and frameworks is decided once), and applies the active exceptions.
 */
export class Evaluator {
  private readonly controls: CompiledControl[];
  private readonly exceptions: ExceptionMatcher;

  constructor(
    frameworks: readonly FrameworkPack[],
    checks: readonly Check[],
    private readonly ctx: CheckContext,
    exceptions: readonly ExceptionRule[],
    private readonly attestations: readonly AttestationFacts[],
    /** The wall-clock time of the evaluation: exceptions and attestations expire against it. */
    private readonly evaluatedAt: Date,
  ) {
    const byId = new Map<string, Check[]>();
    for (const check of checks) byId.set(check.id, [...(byId.get(check.id) ?? []), check]);
    this.controls = frameworks.flatMap((framework) =>
      framework.controls.map((control) => {
        const implementations = control.checks.flatMap((id) => {
          const found = byId.get(id);
          if (!found) throw new Error(`${framework.id} ${control.id} names check ${id}, which does not exist`);
          return found;
        });
        return {
          framework,
          control,
          repository: implementations.filter((c): c is RepositoryCheck => c.scope === "repository"),
          registry: implementations.filter((c): c is RegistryCheck => c.scope === "registry"),
          account: implementations.filter((c): c is AccountCheck => c.scope === "account"),
        };
      }),
    );
    this.exceptions = new ExceptionMatcher(exceptions, evaluatedAt);
  }

  /** Results for one registry and its repositories. */
  evaluateRegistry(registry: RegistryFacts, repositories: readonly RepositoryFacts[], provenance: Provenance): ControlResult[] {
    const out: ControlResult[] = [];
    const registryId = `registry/${registry.accountId}/${registry.region}`;
    const registryMemo = new Map<RegistryCheck, CheckResult>();
    for (const c of this.controls) {
      if (c.registry.length === 0) continue;
      const results = c.registry.map((check) => memo(registryMemo, check, () => check.evaluate(registry, repositories, this.ctx)));
      out.push(this.result(c, "registry", registry.accountId, registry.region, registryId, c.registry, results, provenance));
    }
    for (const repository of repositories) {
      const repoMemo = new Map<RepositoryCheck, CheckResult>();
      for (const c of this.controls) {
        if (c.repository.length === 0) continue;
        const results = c.repository.map((check) => memo(repoMemo, check, () => check.evaluate(repository, registry, this.ctx)));
        out.push(this.result(c, "repository", repository.accountId, repository.region, repository.arn, c.repository, results, provenance));
      }
    }
    return out;
  }

  /**
   * A registry whose target failed: its checks would read stale or missing data, so every
   * control is ERROR there, on each repository known from before and on the registry itself.
   */
  evaluateUnreadRegistry(unread: UnreadRegistry, provenance: Provenance): ControlResult[] {
    const out: ControlResult[] = [];
    const registryId = `registry/${unread.accountId}/${unread.region}`;
    const reason = `${unread.operation} failed with ${unread.errorName}: ${unread.message}`;
    const failure = { errorName: unread.errorName, operation: unread.operation, message: unread.message };
    for (const c of this.controls) {
      const hasRepositoryChecks = c.repository.length > 0;
      const onRegistry = c.registry.length > 0 || (hasRepositoryChecks && unread.repositoryArns.length === 0);
      const checks = [...c.registry, ...(onRegistry && c.registry.length === 0 ? c.repository : [])];
      if (onRegistry) {
        out.push(this.errorResult(c, "registry", unread.accountId, unread.region, registryId, checks, reason, failure, provenance));
      }
      if (hasRepositoryChecks) {
        for (const arn of unread.repositoryArns) out.push(this.errorResult(c, "repository", unread.accountId, unread.region, arn, c.repository, reason, failure, provenance));
      }
    }
    return out;
  }

  evaluateAccount(account: AccountFacts, provenance: Provenance): ControlResult[] {
    const out: ControlResult[] = [];
    const memoized = new Map<AccountCheck, CheckResult>();
    for (const c of this.controls) {
      if (c.account.length === 0) continue;
      const results = c.account.map((check) => memo(memoized, check, () => check.evaluate(account, this.ctx)));
      out.push(this.result(c, "account", account.accountId, null, `account/${account.accountId}`, c.account, results, provenance));
    }
    return out;
  }

  /** One organization-scope result per control with an attestation item: PASS while attested, else MANUAL. */
  evaluateAttestations(provenance: Provenance): ControlResult[] {
    const out: ControlResult[] = [];
    for (const c of this.controls) {
      if (!c.control.attestation) continue;
      const current = this.attestations
        .filter((a) => a.framework === c.framework.id && a.control === c.control.id && isActive(a, this.evaluatedAt))
        .sort((a, b) => b.attestedAt.getTime() - a.attestedAt.getTime())[0];
      const item = c.control.attestation.item;
      const check: CheckResult = current
        ? {
            status: "PASS",
            reason: `Attested by ${current.attester} on ${day(current.attestedAt)}, valid until ${day(current.expiresAt)}: ${item}`,
            evidence: { attestationId: current.id, attester: current.attester, attestedAt: current.attestedAt.toISOString(), expiresAt: current.expiresAt.toISOString(), text: current.text, file: current.fileName },
          }
        : { status: "MANUAL", reason: `Needs a person's attestation: ${item}`, evidence: { item } };
      out.push(this.finish(c, "organization", null, null, "organization", [{ check: "attestation", status: check.status, reason: check.reason }], check.status, check.reason, { attestation: check.evidence }, provenance));
    }
    return out;
  }

  private result(
    c: CompiledControl,
    scope: Scope,
    accountId: string | null,
    region: string | null,
    resource: string,
    checks: readonly Check[],
    results: readonly CheckResult[],
    provenance: Provenance,
  ): ControlResult {
    const outcomes: CheckOutcome[] = new Array(results.length);
    const evidence: Evidence = {};
    const statuses: CheckStatus[] = new Array(results.length);
    for (let i = 0; i < results.length; i++) {
      outcomes[i] = { check: checks[i].id, status: results[i].status, reason: results[i].reason };
      evidence[checks[i].id] = results[i].evidence;
      statuses[i] = results[i].status;
    }
    const status = combineStatuses(statuses);
    // The reason a reader needs: the checks that decided the status (all of them when it passed).
    const all = status === "PASS" || status === "INHERITED" || status === "NOT_APPLICABLE";
    const deciding: number[] = [];
    for (let i = 0; i < results.length; i++) if (all || results[i].status === status) deciding.push(i);
    const reason = deciding.length === 1 ? results[deciding[0]].reason : deciding.map((i) => `${checks[i].id}: ${results[i].reason}`).join("; ");
    return this.finish(c, scope, accountId, region, resource, outcomes, status, reason, evidence, provenance);
  }

  private errorResult(
    c: CompiledControl,
    scope: Scope,
    accountId: string,
    region: string,
    resource: string,
    checks: readonly Check[],
    reason: string,
    failure: Evidence,
    provenance: Provenance,
  ): ControlResult {
    const outcomes = checks.map((check) => ({ check: check.id, status: "ERROR" as const, reason }));
    return this.finish(c, scope, accountId, region, resource, outcomes, "ERROR", `Not collected in this run: ${reason}`, { targetFailure: failure }, provenance);
  }

  private finish(
    c: CompiledControl,
    scope: Scope,
    accountId: string | null,
    region: string | null,
    resource: string,
    checks: CheckOutcome[],
    status: CheckStatus,
    reason: string,
    evidence: Evidence,
    provenance: Provenance,
  ): ControlResult {
    const result: ControlResult = {
      framework: c.framework.id,
      control: c.control.id,
      scope,
      accountId,
      region,
      resource,
      status,
      reason,
      checks,
      evidence: { ...evidence, runId: provenance.runId, collectedAt: provenance.collectedAt?.toISOString() ?? null },
      exceptionId: null,
    };
    if (status === "FAIL") {
      const exception = this.exceptions.find(result);
      if (exception) {
        result.status = "EXCEPTED";
        result.exceptionId = exception.id;
        result.reason = `Excepted until ${day(exception.expiresAt)} (owner ${exception.owner}, accepted by ${exception.createdBy}): ${exception.reason}. Finding: ${reason}`;
      }
    }
    return result;
  }
}

function memo<K, V>(map: Map<K, V>, key: K, compute: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = compute();
    map.set(key, value);
  }
  return value;
}

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}
