import { cmkEncryption } from "./checks/cmk-encryption";
import { continuousScanning } from "./checks/continuous-scanning";
import { crossAccountTrusted } from "./checks/cross-account-trusted";
import { crossRegionTransfer } from "./checks/cross-region-transfer";
import { guarddutyEnabled } from "./checks/guardduty-enabled";
import { imageSize } from "./checks/image-size";
import { keyRotation } from "./checks/key-rotation";
import { kmsEncryption } from "./checks/kms-encryption";
import { latestImageVulns } from "./checks/latest-image-vulns";
import { lifecycleCostRules } from "./checks/lifecycle-cost-rules";
import { lifecyclePresent } from "./checks/lifecycle-present";
import { policyNotPublic, registryPolicyNotPublic } from "./checks/policy-not-public";
import { scanConfigured } from "./checks/scan-configured";
import { scanCostByEnvironment } from "./checks/scan-cost-by-environment";
import { selectiveReplication } from "./checks/selective-replication";
import { staleImages } from "./checks/stale-images";
import { tagImmutability } from "./checks/tag-immutability";
import { registryTlsInTransit, tlsInTransit } from "./checks/tls-in-transit";
import { trailLogging } from "./checks/trail-logging";
import { vpcEndpoints } from "./checks/vpc-endpoints";
import type { Check } from "./types";

/**
 * Every check implementation (spec/CONTROLS.md, Checks). A check with two scopes has two
 * entries with one id; the framework packs name checks by id.
 */
export const CHECKS: readonly Check[] = [
  scanConfigured,
  tagImmutability,
  lifecyclePresent,
  lifecycleCostRules,
  kmsEncryption,
  cmkEncryption,
  keyRotation,
  policyNotPublic,
  registryPolicyNotPublic,
  crossAccountTrusted,
  latestImageVulns,
  continuousScanning,
  trailLogging,
  guarddutyEnabled,
  vpcEndpoints,
  tlsInTransit,
  registryTlsInTransit,
  imageSize,
  staleImages,
  crossRegionTransfer,
  selectiveReplication,
  scanCostByEnvironment,
];
