"use client";

import { useId, useRef, useState } from "react";
import type { Remediation } from "@/lib/compliance/types";
import styles from "./compliance.module.css";

const TABS = [
  { key: "console", label: "Console" },
  { key: "cli", label: "AWS CLI" },
  { key: "terraform", label: "Terraform" },
  { key: "cloudformation", label: "CloudFormation" },
] as const;
type TabKey = (typeof TABS)[number]["key"];

/**
 * A check's fix four ways, as tabs (WAI-ARIA tabs pattern: arrow keys move between tabs). The
 * disruptive warning sits above the tabs so no tab can hide it.
 */
export function RemediationTabs({ checkId, remediation }: { checkId: string; remediation: Remediation }) {
  const [selected, setSelected] = useState<TabKey>("console");
  const base = useId();
  const tabRefs = useRef<Record<string, HTMLButtonElement | null>>({});

  const select = (index: number) => {
    const tab = TABS[(index + TABS.length) % TABS.length];
    setSelected(tab.key);
    tabRefs.current[tab.key]?.focus();
  };

  return (
    <div>
      <p>{remediation.summary}</p>
      {remediation.disruptive ? (
        <div className={styles.warning} role="note" aria-label={`Disruptive fix for ${checkId}`}>
          <strong>Disruptive: </strong>
          {remediation.disruptive}
        </div>
      ) : null}
      <div className={styles.tabs} role="tablist" aria-label={`How to fix ${checkId}`}>
        {TABS.map((tab, index) => (
          <button
            key={tab.key}
            ref={(el) => {
              tabRefs.current[tab.key] = el;
            }}
            type="button"
            role="tab"
            id={`${base}-${tab.key}-tab`}
            aria-controls={`${base}-${tab.key}-panel`}
            aria-selected={selected === tab.key}
            tabIndex={selected === tab.key ? 0 : -1}
            className={styles.tab}
            onClick={() => setSelected(tab.key)}
            onKeyDown={(event) => {
              if (event.key === "ArrowRight") select(index + 1);
              else if (event.key === "ArrowLeft") select(index - 1);
              else if (event.key === "Home") select(0);
              else if (event.key === "End") select(TABS.length - 1);
              else return;
              event.preventDefault();
            }}
          >
            {tab.label}
          </button>
        ))}
      </div>
      {TABS.map((tab) => (
        <div
          key={tab.key}
          role="tabpanel"
          id={`${base}-${tab.key}-panel`}
          aria-labelledby={`${base}-${tab.key}-tab`}
          hidden={selected !== tab.key}
          tabIndex={0}
        >
          {tab.key === "console" ? (
            <ol>
              {remediation.console.map((step, i) => (
                <li key={i}>{step}</li>
              ))}
            </ol>
          ) : (
            <pre className={styles.pre}>
              <code>{remediation[tab.key]}</code>
            </pre>
          )}
        </div>
      ))}
    </div>
  );
}
