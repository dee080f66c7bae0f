/**
 * Token buckets per (account, region, operation), answering ThrottlingException when empty.
 *
 * Assumed rates: AWS does not publish request-rate quotas for most of these read calls (ECR's
 * Service Quotas list a few, e.g. BatchGetImage and GetDownloadUrlForLayer, at far higher rates
 * than a collector needs). These numbers are our assumption of what a busy account sees, set low
 * enough that a careless collector is throttled, and documented here rather than guessed silently.
 */
export const DEFAULT_RATE = { perSecond: 20, burst: 40 };
export const RATES: Record<string, { perSecond: number; burst: number }> = {
  "ecr:DescribeImages": { perSecond: 10, burst: 20 },
  "ecr:DescribeImageScanFindings": { perSecond: 10, burst: 20 },
  "ecr:BatchGetImage": { perSecond: 20, burst: 40 },
  "ce:GetCostAndUsage": { perSecond: 5, burst: 5 },
  "ce:GetCostForecast": { perSecond: 5, burst: 5 },
  "ce:GetDimensionValues": { perSecond: 5, burst: 5 },
  "organizations:ListAccounts": { perSecond: 2, burst: 4 },
  "sts:AssumeRole": { perSecond: 20, burst: 40 },
};

export class Throttle {
  private buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly clock: () => number = Date.now) {}

  /** Takes a token; false means the call is throttled. */
  take(accountId: string, region: string, service: string, operation: string): boolean {
    const rate = RATES[`${service}:${operation}`] ?? DEFAULT_RATE;
    const key = `${accountId}/${region}/${service}:${operation}`;
    const now = this.clock();
    const bucket = this.buckets.get(key) ?? { tokens: rate.burst, at: now };
    bucket.tokens = Math.min(rate.burst, bucket.tokens + ((now - bucket.at) / 1000) * rate.perSecond);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}

export interface SandboxMetrics {
  calls: Record<string, number>;
  throttled: Record<string, number>;
  errors: Record<string, number>;
  /** Calls per "<account>/<region>" and "<service>:<operation>": a benchmark's lower bound. */
  byTarget: Record<string, Record<string, number>>;
  total: number;
}

export function emptyMetrics(): SandboxMetrics {
  return { calls: {}, throttled: {}, errors: {}, byTarget: {}, total: 0 };
}

export const bump = (counts: Record<string, number>, key: string) => {
  counts[key] = (counts[key] ?? 0) + 1;
};
