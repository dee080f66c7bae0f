/** What a sandbox organisation looks like: chosen by a profile, adjusted by flags. */
export type SandboxProfile = "demo" | "scale" | "faults";

export interface SandboxOptions {
  profile: SandboxProfile;
  seed: number;
  accounts: number;
  regions: string[];
  reposPerAccount: number;
  imagesPerRepo: number;
  /** Answer ThrottlingException past AWS-like request rates (see throttle.ts). */
  throttle: boolean;
  /** Added to every answer, in milliseconds. */
  latencyMs: number;
  /** The faults profile's injected failures (see faults.ts). */
  faults: boolean;
  /**
   * A throttling storm: this fraction (0-1) of calls is answered ThrottlingException whatever
   * the rate, spread evenly over the calls. 0: none.
   */
  throttleStorm?: number;
  /** A network that stops answering: every call into this account (STS aside) waits this long first. */
  stall?: { accountId: string; ms: number };
}

const PROFILES: Record<SandboxProfile, Omit<SandboxOptions, "profile" | "seed">> = {
  // Small enough to read at a glance, with every misconfiguration CONTROLS.md checks for.
  demo: { accounts: 6, regions: ["us-east-1", "eu-west-1"], reposPerAccount: 12, imagesPerRepo: 30, throttle: false, latencyMs: 0, faults: false },
  // For benchmarks: 100 accounts x 4 regions x up to 50 repositories x up to 100 images.
  scale: { accounts: 100, regions: ["us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2"], reposPerAccount: 50, imagesPerRepo: 100, throttle: false, latencyMs: 0, faults: false },
  // The demo organisation plus every failure the collector must survive.
  faults: { accounts: 6, regions: ["us-east-1", "eu-west-1"], reposPerAccount: 12, imagesPerRepo: 30, throttle: false, latencyMs: 0, faults: true },
};

export function sandboxOptions(profile: SandboxProfile, overrides: Partial<Omit<SandboxOptions, "profile">> = {}): SandboxOptions {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  return { profile, seed: 1, ...PROFILES[profile], ...defined };
}
