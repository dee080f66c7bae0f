import { writeFile } from "node:fs/promises";
import { listMisconfigurations } from "@/lib/sandbox/misconfigurations";
import { type SandboxProfile, sandboxOptions } from "@/lib/sandbox/options";
import { accountsConfig, buildOrganization } from "@/lib/sandbox/organization";
import { BASE_ACCESS_KEY_ID, BASE_SECRET_ACCESS_KEY } from "@/lib/sandbox/credentials";
import { startSandbox } from "@/lib/sandbox/server";
import { isAwsRegion } from "@/lib/regions";
import { CliError, parseCommandArgs, parsePort } from "./args";

export const SANDBOX_HELP = `Usage: portwatch sandbox [options]

Serves a simulated AWS organisation on a local port: STS, Organizations, ECR, Inspector2, KMS,
CloudTrail, EC2, GuardDuty and Cost Explorer over AWS's real wire protocols, so any AWS SDK or
tool (and portwatch collect) can read it. Generated from a seed: the same seed always answers
the same way. Prints the environment to export and the accounts config for its organisation.

Options:
  --port P                 port (default 4577; 0 picks a free one)
  --profile NAME           demo (default), scale (100 accounts x 4 regions) or faults
  --seed N                 generator seed (default 1)
  --accounts N             member accounts
  --regions a,b            regions, e.g. us-east-1,eu-west-1
  --repos-per-account N    most repositories in an account's region
  --images-per-repo N      most images in a repository
  --throttle               answer ThrottlingException past AWS-like request rates
  --latency-ms N           add N ms to every answer
  --write-config FILE      write the accounts config to FILE instead of printing it
  --misconfigurations      print which resources fail which check, as JSON, and exit`;

function integer(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new CliError(`${name} must be a whole number from ${min} to ${max}, not "${value}"`);
  }
  return Number(value);
}

export async function sandboxCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs("sandbox", argv, {
    port: { type: "string" },
    profile: { type: "string" },
    seed: { type: "string" },
    accounts: { type: "string" },
    regions: { type: "string" },
    "repos-per-account": { type: "string" },
    "images-per-repo": { type: "string" },
    throttle: { type: "boolean" },
    "latency-ms": { type: "string" },
    "write-config": { type: "string" },
    misconfigurations: { type: "boolean" },
  });
  if (values.help) {
    console.log(SANDBOX_HELP);
    return 0;
  }
  const profile = (values.profile ?? "demo") as SandboxProfile;
  if (!["demo", "scale", "faults"].includes(profile)) throw new CliError(`--profile must be demo, scale or faults, not "${values.profile}"`);
  const regions = values.regions?.split(",").map((r) => r.trim()).filter(Boolean);
  if (regions) {
    const unknown = regions.filter((r) => !isAwsRegion(r));
    if (regions.length === 0 || unknown.length) throw new CliError(`--regions must list AWS regions; not known: ${unknown.join(", ") || "(none given)"}`);
  }
  const options = sandboxOptions(profile, {
    seed: integer(values.seed, "--seed", 0, 2_147_483_647),
    accounts: integer(values.accounts, "--accounts", 1, 2000),
    regions,
    reposPerAccount: integer(values["repos-per-account"], "--repos-per-account", 1, 1000),
    imagesPerRepo: integer(values["images-per-repo"], "--images-per-repo", 1, 1000),
    throttle: values.throttle,
    latencyMs: integer(values["latency-ms"], "--latency-ms", 0, 60_000),
  });
  const port = values.port === "0" ? 0 : (parsePort(values.port, "--port") ?? 4577);

  if (values.misconfigurations) {
    console.log(JSON.stringify(listMisconfigurations(buildOrganization(options)), null, 2));
    return 0;
  }

  let sandbox;
  try {
    sandbox = await startSandbox(options, { port });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") throw new CliError(`port ${port} is in use: choose another with --port`);
    throw error;
  }
  const config = accountsConfig(sandbox.organization);
  console.log(`Sandbox AWS organisation (${profile}, seed ${options.seed}): ${config.accounts.length} active accounts x ${options.regions.length} regions`);
  console.log(`Endpoint: ${sandbox.url}`);
  console.log("");
  console.log("Point any AWS SDK or CLI at it with:");
  console.log(`  export AWS_ENDPOINT_URL=${sandbox.url}`);
  console.log(`  export AWS_ACCESS_KEY_ID=${BASE_ACCESS_KEY_ID}`);
  console.log(`  export AWS_SECRET_ACCESS_KEY=${BASE_SECRET_ACCESS_KEY}`);
  console.log("  export AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true");
  console.log("");
  if (values["write-config"]) {
    await writeFile(values["write-config"], `${JSON.stringify(config, null, 2)}\n`);
    console.log(`Accounts config written to ${values["write-config"]}`);
  } else {
    console.log("Accounts config (portwatch.config.json):");
    console.log(JSON.stringify(config, null, 2));
  }
  console.log(`Metrics: ${sandbox.url}/__sandbox/metrics`);
  console.log("Press Ctrl-C to stop.");
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      void sandbox.close().then(() => process.exit(0));
    });
  }
  return new Promise<number>(() => undefined);
}
