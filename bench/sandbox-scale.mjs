// Benchmark: `portwatch sandbox --profile scale` (100 accounts x 4 regions, up to 50 repositories
// a registry and 100 images a repository): time from launch to its first answered request, and
// its peak resident memory while a client assumes a role into every account and pages through
// every repository of every registry and the images of the first repository of each.
// Run by hand: node bench/sandbox-scale.mjs   (results in bench/RESULTS.md)
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { DescribeImagesCommand, ECRClient, paginateDescribeRepositories } from "@aws-sdk/client-ecr";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";

const ROOT = path.resolve(import.meta.dirname, "..");
const t0 = performance.now();
const child = spawn(process.execPath, [path.join(ROOT, "bin/portwatch.mjs"), "sandbox", "--profile", "scale", "--port", "0", "--write-config", "/tmp/pw-scale-config.json"], { cwd: ROOT });
let out = "";
const endpoint = await new Promise((resolve, reject) => {
  child.stdout.on("data", (d) => {
    out += d;
    const m = /Endpoint: (http:\/\/\S+)/.exec(out);
    if (m) resolve(m[1]);
  });
  child.on("exit", (code) => reject(new Error(`sandbox exited ${code}: ${out}`)));
});
const base = { endpoint, region: "us-east-1", credentials: { accessKeyId: "AKIAPORTWATCHSANDBOX", secretAccessKey: "portwatch-sandbox-secret-not-a-real-key" }, maxAttempts: 1 };
await new STSClient(base).send(new GetCallerIdentityCommand({}));
const firstAnswerMs = performance.now() - t0;

const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))[1]) / 1024;
let peak = rss();
const sampler = setInterval(() => (peak = Math.max(peak, rss())), 50);

const config = JSON.parse(readFileSync("/tmp/pw-scale-config.json", "utf8"));
const sts = new STSClient(base);
const started = performance.now();
let repositories = 0;
let images = 0;
for (const account of config.accounts) {
  const { Credentials: c } = await sts.send(new AssumeRoleCommand({ RoleArn: account.roleArn, RoleSessionName: "bench", ExternalId: config.externalId }));
  const credentials = { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
  for (const region of account.regions) {
    const ecr = new ECRClient({ ...base, region, credentials });
    let first;
    for await (const page of paginateDescribeRepositories({ client: ecr, pageSize: 100 }, {})) {
      repositories += page.repositories.length;
      first ??= page.repositories[0]?.repositoryName;
    }
    if (first) {
      let nextToken;
      do {
        const page = await ecr.send(new DescribeImagesCommand({ repositoryName: first, maxResults: 1000, nextToken }));
        images += page.imageDetails.length;
        nextToken = page.nextToken;
      } while (nextToken);
    }
  }
}
const walkMs = performance.now() - started;
clearInterval(sampler);
peak = Math.max(peak, rss());
child.kill("SIGINT");
console.log(JSON.stringify({ firstAnswerMs: Math.round(firstAnswerMs), accounts: config.accounts.length, repositories, imagesListed: images, walkSeconds: +(walkMs / 1000).toFixed(1), peakRssMiB: Math.round(peak) }, null, 2));
