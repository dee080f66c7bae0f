"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useDeferredValue, useMemo, useState } from "react";
import { formatBytes, formatCount, formatDateTime, shortDigest } from "@/components/tables/format";
import { CodeBlock } from "@/components/ui/code-block";
import { fromImagePayload, type ImagePayload } from "@/lib/cost/lifecycle/image-payload";
import { lifecyclePolicyCli, lifecyclePolicyJson, lifecyclePolicyTerraform } from "@/lib/cost/lifecycle/policy-text";
import { simulateLifecycle } from "@/lib/cost/lifecycle/simulate";
import type { ImageOutcome, LifecycleImage, PolicyError, SimulationOptions, SimulationResult } from "@/lib/cost/lifecycle/types";
import { validateLifecyclePolicy } from "@/lib/cost/lifecycle/validate-policy";
import { queryKeys } from "@/lib/query-keys";
import styles from "./lifecycle-what-if.module.css";
import { formatMoney } from "@/components/cost/format";

/**
 * What a lifecycle policy would do to this repository's images, worked out in the browser by the
 * same engine the savings list and `portwatch lifecycle preview` use. Nothing is sent to AWS.
 */

interface Props {
  repository: { arn: string; name: string; region: string; accountId: string };
  /** ISO time the images' ages are measured from. */
  at: string;
  prices: Omit<SimulationOptions, "at">;
  currentPolicy: string | null;
  recommendedPolicy: string;
  payload: ImagePayload;
  /** Images not sent (the repository holds more than the page simulates). */
  omitted: number;
}

type Outcome = { ok: false; errors: PolicyError[] } | { ok: true; result: SimulationResult; policyJson: string; policy: Parameters<typeof lifecyclePolicyJson>[0] };

function evaluate(text: string, images: readonly LifecycleImage[], options: SimulationOptions): Outcome {
  const validation = validateLifecyclePolicy(text);
  if (!validation.ok) return { ok: false, errors: validation.errors };
  return { ok: true, result: simulateLifecycle(validation.policy, images, options), policyJson: lifecyclePolicyJson(validation.policy), policy: validation.policy };
}

const SHOWN_IMAGES = 200;

function Totals({ result, label }: { result: SimulationResult; label: string }) {
  const t = result.totals;
  return (
    <p data-testid={`${label}-totals`}>
      <strong>{formatCount(t.expired)}</strong> of {formatCount(t.images)} images would expire
      {t.transitioned ? (
        <>
          {" "}and <strong>{formatCount(t.transitioned)}</strong> move to archive
        </>
      ) : null}
      , freeing <strong>{formatBytes(t.freedBytes)}</strong>
      {t.freedBytesExact ? "" : " (an upper bound: some images' layers are unknown, and layers can be shared)"} and saving{" "}
      <strong>{formatMoney(t.monthlyUsdSaved)}/month</strong>.
    </p>
  );
}

function ErrorList({ errors, label }: { errors: PolicyError[]; label: string }) {
  return (
    <ul className={styles.errors} aria-label={label}>
      {errors.map((e) => (
        <li key={`${e.path}:${e.message}`}>
          {e.path ? <code>{e.path}</code> : null}
          {e.path ? ": " : ""}
          {e.message}
        </li>
      ))}
    </ul>
  );
}

function AffectedImages({ outcomes }: { outcomes: ImageOutcome[] }) {
  const affected = outcomes.filter((o) => o.fate !== "keep");
  if (affected.length === 0) return <p className="muted">No image would be expired or archived.</p>;
  return (
    <div className="table-wrap">
      <table aria-label="What the policy would expire or archive">
        <thead>
          <tr>
            <th scope="col">Fate</th>
            <th scope="col" className="num">Rule</th>
            <th scope="col">Tags</th>
            <th scope="col">Digest</th>
            <th scope="col" className="num">Size</th>
            <th scope="col">Pushed</th>
            <th scope="col">Last pulled</th>
          </tr>
        </thead>
        <tbody>
          {affected.slice(0, SHOWN_IMAGES).map(({ image, fate, rulePriority }) => (
            <tr key={image.digest}>
              <td>{fate === "expire" ? "expire" : "archive"}</td>
              <td className="num">{rulePriority}</td>
              <td>{image.tags.length ? image.tags.map((t) => <code key={t} className="tag">{t}</code>) : <span className="muted">untagged</span>}</td>
              <td className="mono" title={image.digest}>
                {shortDigest(image.digest)}
              </td>
              <td className="num nowrap">{formatBytes(image.sizeBytes)}</td>
              <td className="nowrap">{formatDateTime(image.pushedAt)}</td>
              <td className="nowrap">{formatDateTime(image.lastPulledAt, "never recorded")}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {affected.length > SHOWN_IMAGES ? <p className="small muted">The first {SHOWN_IMAGES} of {formatCount(affected.length)} are listed.</p> : null}
    </div>
  );
}

function Summary({ title, text, outcome, label }: { title: string; text: string | null; outcome: Outcome | null; label: string }) {
  return (
    <div className={styles.summary}>
      <h3>{title}</h3>
      {text === null || outcome === null ? (
        <p className="muted">No lifecycle policy: nothing is ever expired, so every image is stored until someone deletes it.</p>
      ) : outcome.ok ? (
        <Totals result={outcome.result} label={label} />
      ) : (
        <>
          <p className="form-error">This policy is not one ECR would accept:</p>
          <ErrorList errors={outcome.errors} label={`${title}: errors`} />
        </>
      )}
    </div>
  );
}

export function LifecycleWhatIf({ repository, at, prices, currentPolicy, recommendedPolicy, payload, omitted }: Props) {
  const images = useMemo(() => fromImagePayload(payload), [payload]);
  const options = useMemo<SimulationOptions>(() => ({ ...prices, at: new Date(at) }), [prices, at]);
  const current = useMemo(() => (currentPolicy === null ? null : evaluate(currentPolicy, images, options)), [currentPolicy, images, options]);
  const recommended = useMemo(() => evaluate(recommendedPolicy, images, options), [recommendedPolicy, images, options]);

  const [text, setText] = useState(() => (currentPolicy === null ? recommendedPolicy : prettify(currentPolicy)));
  // Typing stays responsive: the simulation follows the deferred text, and a text seen before
  // comes back from the cache at once.
  const deferred = useDeferredValue(text);
  const edited = useQuery({
    queryKey: queryKeys.lifecycle.whatIf(repository.arn, at, deferred),
    queryFn: () => evaluate(deferred, images, options),
    staleTime: Infinity,
    placeholderData: keepPreviousData,
  });
  const outcome = edited.data;

  return (
    <div className={styles.whatIf}>
      <p className="small muted">
        Ages are measured from {formatDateTime(at)} over the {formatCount(images.length)} images collected
        {omitted ? ` (the ${formatCount(omitted)} oldest are not included here; use portwatch lifecycle preview for all of them)` : ""}. Nothing here changes the repository.
      </p>
      <div className={styles.summaries}>
        <Summary title="Current policy, today" text={currentPolicy} outcome={current} label="current" />
        <Summary title="Recommended (COST-01) policy" text={recommendedPolicy} outcome={recommended} label="recommended" />
      </div>

      <h3 id="what-if-editor">Try a policy</h3>
      <div className="row-controls">
        <button type="button" className="button secondary" onClick={() => setText(recommendedPolicy)}>
          Start from the recommended policy
        </button>
        {currentPolicy !== null ? (
          <button type="button" className="button secondary" onClick={() => setText(prettify(currentPolicy))}>
            Start from the current policy
          </button>
        ) : null}
      </div>
      <label htmlFor="what-if-policy" className="sr-only">
        Lifecycle policy JSON
      </label>
      <textarea
        id="what-if-policy"
        className={styles.editor}
        value={text}
        onChange={(event) => setText(event.target.value)}
        spellCheck={false}
        rows={18}
        aria-describedby="what-if-result"
      />
      <div id="what-if-result" aria-live="polite">
        {!outcome ? null : outcome.ok ? (
          <>
            <Totals result={outcome.result} label="edited" />
            <AffectedImages outcomes={outcome.result.outcomes} />
            <h3>Apply it yourself</h3>
            <p className="small muted">Portwatch only reads: copy the policy into your pipeline, or run the commands with a role that may change the repository.</p>
            <Snippet title="Policy JSON" text={outcome.policyJson} />
            <Snippet title="AWS CLI" text={lifecyclePolicyCli(outcome.policy, { repositoryName: repository.name, region: repository.region, registryId: repository.accountId })} />
            <Snippet title="Terraform" text={lifecyclePolicyTerraform(outcome.policy, repository.name)} />
          </>
        ) : (
          <>
            <p className="form-error">ECR would reject this policy:</p>
            <ErrorList errors={outcome.errors} label="Policy errors" />
          </>
        )}
      </div>
    </div>
  );
}

function Snippet({ title, text }: { title: string; text: string }) {
  return (
    <details className={styles.snippet}>
      <summary>{title}</summary>
      <CodeBlock text={text} copyLabel={`Copy ${title}`} />
    </details>
  );
}

function prettify(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
