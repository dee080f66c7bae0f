/**
 * AWS's region billing codes: the prefix Cost Explorer and the CUR put on a usage type
 * (`USE1-TimedStorage-ByteHrs`, `EU-DataTransfer-Out-Bytes`, `USE1-EUC1-AWS-Out-Bytes`). AWS
 * documents them per region ("AWS Region billing codes"); they do not follow the region name
 * (eu-west-1 is EU, ap-south-1 is APS3), so they are a table, not a rule. Both the sandbox (which
 * writes usage types) and the app (which reads a region back out of one) use this table.
 */
const BILLING_CODES: Readonly<Record<string, string>> = {
  "us-east-1": "USE1",
  "us-east-2": "USE2",
  "us-west-1": "USW1",
  "us-west-2": "USW2",
  "ca-central-1": "CAN1",
  "ca-west-1": "CAN2",
  "mx-central-1": "MXC1",
  "sa-east-1": "SAE1",
  "af-south-1": "AFS1",
  "ap-east-1": "APE1",
  "ap-east-2": "APE2",
  "ap-northeast-1": "APN1",
  "ap-northeast-2": "APN2",
  "ap-northeast-3": "APN3",
  "ap-southeast-1": "APS1",
  "ap-southeast-2": "APS2",
  "ap-south-1": "APS3",
  "ap-southeast-3": "APS4",
  "ap-south-2": "APS5",
  "ap-southeast-4": "APS6",
  "ap-southeast-5": "APS7",
  "ap-southeast-6": "APS8",
  "ap-southeast-7": "APS9",
  "eu-west-1": "EU",
  "eu-west-2": "EUW2",
  "eu-west-3": "EUW3",
  "eu-central-1": "EUC1",
  "eu-central-2": "EUC2",
  "eu-north-1": "EUN1",
  "eu-south-1": "EUS1",
  "eu-south-2": "EUS2",
  "me-south-1": "MES1",
  "me-central-1": "MEC1",
  "il-central-1": "ILC1",
  "us-gov-west-1": "UGW1",
  "us-gov-east-1": "UGE1",
  "cn-north-1": "CNN1",
  "cn-northwest-1": "CNW1",
};

const REGIONS_BY_CODE: ReadonlyMap<string, string> = new Map(Object.entries(BILLING_CODES).map(([region, code]) => [code, region]));

/** The prefix AWS puts on a region's usage types, e.g. USE1 for us-east-1; throws for a region it does not know. */
export function billingCode(region: string): string {
  const code = Object.hasOwn(BILLING_CODES, region) ? BILLING_CODES[region] : undefined;
  if (!code) throw new Error(`No billing code known for region ${region}`);
  return code;
}

/** The region a billing code stands for (EU -> eu-west-1), or null for a code not in the table. */
export function regionForBillingCode(code: string): string | null {
  return REGIONS_BY_CODE.get(code) ?? null;
}

// A code is upper-case letters and digits (USE1, EU, APS2). "AWS" is not a code: it starts the
// kind in `AWS-Out-Bytes`, a usage type that has no code and so belongs to us-east-1.
const CODE = /^[A-Z][A-Z0-9]{1,4}$/;

/**
 * The region a usage type is billed in: its first code (the source, for `<S>-<D>-AWS-Out-Bytes`).
 * A usage type with no code prefix belongs to us-east-1: AWS leaves USE1 off its older usage
 * types (`TimedStorage-ByteHrs`, `DataTransfer-Out-Bytes`). A code we do not know (a region newer
 * than this table) gives null, never a guess, so the caller can show it as an unknown region.
 */
export function regionForUsageType(usageType: string): string | null {
  if (!usageType) return null;
  const dash = usageType.indexOf("-");
  const first = dash < 0 ? usageType : usageType.slice(0, dash);
  if (dash < 0 || first === "AWS" || !CODE.test(first)) return "us-east-1";
  return regionForBillingCode(first);
}
