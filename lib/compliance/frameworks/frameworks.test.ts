import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CHECK_IDS } from "../checks/testing";
import type { CheckId, ControlSeverity, FrameworkPack } from "../types";
import { FRAMEWORKS, getFramework } from "./index";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const DIR = import.meta.dirname;

/**
 * The user's catalogue, kept in the repository as they gave it (spec/ecr-controls-seed.md). The
 * packs must carry every row of it unchanged; the test parses the file rather than a copy of its
 * text, so an edit to either side is caught.
 */
const SEED = path.join(ROOT, "spec/ecr-controls-seed.md");

interface SeedRow {
  heading: string;
  id: string;
  title: string;
  severity: ControlSeverity;
  description: string;
  implementation: string;
}

function readSeed(): SeedRow[] {
  const file = SEED;
  const rows: SeedRow[] = [];
  let heading = "";
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (line.startsWith("### ")) heading = line.slice(4).trim();
    if (!line.startsWith("|") || /^\|\s*(Severity|-)/.test(line)) continue;
    const [severity, title, id, description, implementation] = line.trim().replace(/^\||\|$/g, "").split("|").map((c) => c.trim());
    const strip = (s: string) => s.replace(/\*\*/g, "");
    rows.push({ heading, id, title, severity: strip(severity).toLowerCase() as ControlSeverity, description, implementation: strip(implementation) });
  }
  return rows;
}

/** spec/CONTROLS.md, "Control -> checks". */
const CONTROL_CHECKS: [string, string, CheckId[], boolean][] = [
  ["csa-ccm-v5", "IAM-01", ["policy-not-public", "cross-account-trusted"], true],
  ["csa-ccm-v5", "DSI-01", ["scan-configured", "kms-encryption", "lifecycle-present"], true],
  ["csa-ccm-v5", "EKM-01", ["cmk-encryption", "key-rotation"], false],
  ["csa-ccm-v5", "LOG-01", ["trail-logging"], false],
  ["csa-ccm-v5", "IVS-01", ["continuous-scanning", "latest-image-vulns"], false],
  ["csa-ccm-v5", "NET-01", ["vpc-endpoints"], false],
  ["nist-800-53-r5", "AC-3", ["policy-not-public", "cross-account-trusted"], false],
  ["nist-800-53-r5", "SC-8", ["tls-in-transit"], false],
  ["nist-800-53-r5", "SC-28", ["kms-encryption"], false],
  ["nist-800-53-r5", "AU-2", ["trail-logging"], false],
  ["nist-800-53-r5", "SI-3", ["scan-configured"], true],
  ["nist-800-53-r5", "SI-4", ["guardduty-enabled", "continuous-scanning"], false],
  ["nist-800-53-r5", "RA-5", ["continuous-scanning", "latest-image-vulns"], false],
  ["aws-fsbp", "ECR.1", ["scan-configured"], false],
  ["aws-fsbp", "ECR.2", ["tag-immutability"], false],
  ["aws-fsbp", "ECR.3", ["lifecycle-present"], false],
  ["aws-securityhub", "ECR.1", ["scan-configured"], false],
  ["aws-securityhub", "ECR.2", ["tag-immutability"], false],
  ["aws-securityhub", "ECR.3", ["lifecycle-present"], false],
  ["aws-securityhub", "ECR.5", ["cmk-encryption"], false],
  ["ecr-cost", "COST-01", ["lifecycle-cost-rules"], false],
  ["ecr-cost", "COST-02", ["image-size"], false],
  ["ecr-cost", "COST-03", ["stale-images"], true],
  ["ecr-cost", "COST-04", ["cross-region-transfer"], false],
  ["ecr-cost", "COST-05", ["selective-replication"], false],
  ["ecr-cost", "COST-06", ["scan-cost-by-environment"], false],
];

/** Controls a pack carries beyond the seed (spec/CONTROLS.md). */
const BEYOND_SEED = new Set(["aws-securityhub/ECR.5"]);

const seed = readSeed();
const packOfHeading = (heading: string) => FRAMEWORKS.find((f) => `${f.name} ${f.version}` === heading);
const control = (framework: string, id: string) => getFramework(framework)?.controls.find((c) => c.id === id);

describe("framework packs", () => {
  it("lists the five frameworks in order", () => {
    expect(FRAMEWORKS.map((f) => f.id)).toEqual(["csa-ccm-v5", "nist-800-53-r5", "aws-fsbp", "aws-securityhub", "ecr-cost"]);
    for (const f of FRAMEWORKS) expect(getFramework(f.id)).toBe(f);
    expect(getFramework("pci-dss")).toBeUndefined();
  });

  it("reads every row of the seed (five tables, 25 rows)", () => {
    expect(new Set(seed.map((r) => r.heading)).size).toBe(5);
    expect(seed).toHaveLength(25);
  });

  it.each(seed.map((r) => [r.heading, r.id, r] as const))("%s %s is in its pack, unchanged", (heading, id, row) => {
    const pack = packOfHeading(heading);
    expect(pack, `no pack named "${heading}" (name + " " + version)`).toBeDefined();
    const c = pack?.controls.find((x) => x.id === id);
    expect(c, `${pack?.id} has no control ${id}`).toBeDefined();
    expect({ title: c?.title, severity: c?.severity, description: c?.description, implementation: c?.implementation }).toEqual({
      title: row.title,
      severity: row.severity,
      description: row.description,
      implementation: row.implementation,
    });
  });

  it("carries nothing beyond the seed except Security Hub's ECR.5", () => {
    const inSeed = new Set(seed.map((r) => `${packOfHeading(r.heading)?.id}/${r.id}`));
    const extra = FRAMEWORKS.flatMap((f) => f.controls.map((c) => `${f.id}/${c.id}`)).filter((key) => !inSeed.has(key));
    expect(extra).toEqual([...BEYOND_SEED]);
    expect(control("aws-securityhub", "ECR.5")).toMatchObject({ title: "ECR repositories should be encrypted with customer managed AWS KMS keys", severity: "medium", checks: ["cmk-encryption"] });
  });

  it.each(CONTROL_CHECKS)("%s %s is decided by %j (attestation: %s)", (framework, id, checks, attested) => {
    const c = control(framework, id);
    expect(c?.checks).toEqual(checks);
    expect(Boolean(c?.attestation)).toBe(attested);
    if (c?.attestation) expect(c.attestation.item.length).toBeGreaterThan(40);
  });

  it("maps every control of every pack (the table above is complete)", () => {
    const mapped = new Set(CONTROL_CHECKS.map(([f, id]) => `${f}/${id}`));
    for (const f of FRAMEWORKS) for (const c of f.controls) expect(mapped.has(`${f.id}/${c.id}`), `${f.id}/${c.id}`).toBe(true);
  });

  it("uses only check ids that exist, and every check is used", () => {
    const used = new Set(FRAMEWORKS.flatMap((f) => f.controls.flatMap((c) => c.checks)));
    for (const check of used) expect(Object.hasOwn(CHECK_IDS, check), check).toBe(true);
    expect([...used].sort()).toEqual(Object.keys(CHECK_IDS).sort());
  });

  it.each(FRAMEWORKS.map((f) => [f.id, f] as const))("%s: control ids are unique and every control has checks", (_, pack) => {
    const ids = pack.controls.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of pack.controls) expect(c.checks.length, c.id).toBeGreaterThan(0);
    expect(pack.description.length).toBeGreaterThan(0);
  });

  it.each<[string, string, string, string[]]>([
    ["csa-ccm-v5", "EKM-01", "CSA CCM v4.0", ["CEK-03"]],
    ["csa-ccm-v5", "LOG-01", "CSA CCM v4.0", ["LOG-02", "LOG-08"]],
    ["csa-ccm-v5", "DSI-01", "CSA CCM v4.0", ["DSP-02", "DSP-16"]],
    ["csa-ccm-v5", "IVS-01", "CSA CCM v4.0", ["TVM-07"]],
    ["csa-ccm-v5", "NET-01", "CSA CCM v4.0", ["IVS-03", "IVS-09"]],
    ["csa-ccm-v5", "IAM-01", "CSA CCM v4.0", ["IAM-16"]],
    ["aws-securityhub", "ECR.1", "NIST 800-53 Rev 5", ["RA-5"]],
    ["aws-securityhub", "ECR.1", "AWS Config managed rule", ["ecr-private-image-scanning-enabled"]],
    ["aws-securityhub", "ECR.2", "AWS Config managed rule", ["ecr-private-tag-immutability-enabled"]],
    ["aws-securityhub", "ECR.3", "AWS Config managed rule", ["ecr-private-lifecycle-policy-configured"]],
    ["aws-securityhub", "ECR.5", "NIST 800-53 Rev 5", ["SC-28"]],
    ["aws-securityhub", "ECR.5", "AWS Config managed rule", ["ecr-repository-cmk-encryption-enabled"]],
    ["aws-fsbp", "ECR.1", "AWS Config managed rule", ["ecr-private-image-scanning-enabled"]],
    ["aws-fsbp", "ECR.2", "AWS Config managed rule", ["ecr-private-tag-immutability-enabled"]],
    ["aws-fsbp", "ECR.3", "AWS Config managed rule", ["ecr-private-lifecycle-policy-configured"]],
  ])("%s %s crosswalks to %s %j", (framework, id, other, ids) => {
    expect(control(framework, id)?.crosswalk?.find((x) => x.framework === other)?.ids).toEqual(ids);
  });

  it("says on every NIST control whose mapping is Portwatch's own that it is", () => {
    const nist = getFramework("nist-800-53-r5");
    for (const c of nist?.controls ?? []) {
      expect(c.mappingNote, c.id).toBeDefined();
      // RA-5 and SC-28 are partly published by Security Hub; the rest are ours alone.
      if (c.id === "RA-5" || c.id === "SC-28") expect(c.mappingNote).toMatch(/^Partly published: AWS Security Hub maps ECR\.\d/);
      else expect(c.mappingNote).toBe("Portwatch's own mapping: no open-source peer maps ECR checks into NIST 800-53");
    }
  });

  it("registers every pack file of this folder in FRAMEWORKS", async () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && f !== "index.ts");
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const mod = (await import(path.join(DIR, file))) as Record<string, unknown>;
      const packs = Object.values(mod).filter((v): v is FrameworkPack => typeof v === "object" && v !== null && "controls" in v && "id" in v);
      expect(packs, `${file} exports no FrameworkPack`).toHaveLength(1);
      expect(FRAMEWORKS, `${file}'s pack "${packs[0].id}" is not in FRAMEWORKS (lib/compliance/frameworks/index.ts)`).toContain(packs[0]);
      // One file per framework, named after its id.
      expect(file).toBe(`${packs[0].id}.ts`);
    }
    expect(files).toHaveLength(FRAMEWORKS.length);
  });
});
