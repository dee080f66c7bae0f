import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { identifyCaller, parseSignatureScope } from "./credentials";
import { AwsError } from "./errors";
import type { SandboxOptions } from "./options";
import { buildOrganization, findAccount, type SandboxOrganization } from "./organization";
import { matchRoute, type ServiceDefinition, toAwsJson, xmlEscape } from "./protocols";
import type { CallerIdentity, SandboxRequest } from "./request";
import { createServices } from "./services";
import { bump, DEFAULT_RATE, emptyMetrics, RATES, type SandboxMetrics, Throttle } from "./throttle";

const MAX_BODY = 1024 * 1024;

export interface RunningSandbox {
  url: string;
  port: number;
  organization: SandboxOrganization;
  metrics(): SandboxMetrics;
  close(): Promise<void>;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new AwsError("RequestEntityTooLargeException", "Request body is larger than 1 MB", 413));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

interface Decoded {
  operation: string;
  input: Record<string, unknown>;
}

function decode(service: ServiceDefinition, req: http.IncomingMessage, url: URL, body: string): Decoded {
  if (service.protocol === "json") {
    const target = String(req.headers["x-amz-target"] ?? "");
    const dot = target.lastIndexOf(".");
    const prefix = target.slice(0, dot);
    const operation = target.slice(dot + 1);
    // CloudTrail answers both its short prefix (the JS SDK's) and the long one botocore sends.
    const known = prefix === service.targetPrefix || prefix.endsWith(`.${service.targetPrefix}`);
    if (dot < 0 || !known || !operation || !Object.hasOwn(service.operations, operation)) {
      throw new AwsError("UnknownOperationException", `Unknown operation ${target}`);
    }
    let input: unknown = {};
    if (body.trim()) {
      try {
        input = JSON.parse(body);
      } catch {
        throw new AwsError("SerializationException", "Start of structure or map found where not expected.");
      }
    }
    if (typeof input !== "object" || input === null || Array.isArray(input)) throw new AwsError("SerializationException", "Expected a JSON object");
    return { operation, input: input as Record<string, unknown> };
  }
  if (service.protocol === "query") {
    const params = new URLSearchParams(body || url.search);
    const operation = params.get("Action") ?? "";
    if (!Object.hasOwn(service.operations, operation)) {
      throw new AwsError("InvalidAction", `The action ${operation || "(none)"} is not valid for this web service.`);
    }
    return { operation, input: Object.fromEntries(params) };
  }
  for (const route of service.routes) {
    const params = matchRoute(route, req.method ?? "GET", url.pathname);
    if (!params) continue;
    let json: Record<string, unknown> = {};
    if (body.trim()) {
      try {
        json = JSON.parse(body) as Record<string, unknown>;
      } catch {
        throw new AwsError("ValidationException", "Request body is not valid JSON", 400);
      }
    }
    return { operation: route.operation, input: { ...Object.fromEntries(url.searchParams), ...json, ...params } };
  }
  throw new AwsError("UnknownOperationException", `No operation at ${req.method} ${url.pathname}`, 404);
}

function sendError(res: http.ServerResponse, service: ServiceDefinition | undefined, error: AwsError, requestId: string) {
  const headers: Record<string, string> = { "x-amzn-RequestId": requestId };
  if (service?.protocol === "query") {
    const body =
      service.errorStyle === "ec2"
        ? `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${xmlEscape(error.code)}</Code><Message>${xmlEscape(error.message)}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`
        : `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>${error.fault}</Type><Code>${xmlEscape(error.code)}</Code><Message>${xmlEscape(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
    res.writeHead(error.status, { ...headers, "Content-Type": "text/xml" });
    res.end(body);
    return;
  }
  if (service?.protocol === "rest-json") {
    res.writeHead(error.status, { ...headers, "Content-Type": "application/json", "x-amzn-ErrorType": error.code });
    res.end(JSON.stringify({ message: error.message }));
    return;
  }
  res.writeHead(error.status, { ...headers, "Content-Type": "application/x-amz-json-1.1" });
  res.end(JSON.stringify({ __type: error.code, message: error.message }));
}

function sendResult(res: http.ServerResponse, service: ServiceDefinition, operation: string, result: unknown, requestId: string) {
  if (service.protocol === "query") {
    res.writeHead(200, { "Content-Type": "text/xml", "x-amzn-RequestId": requestId });
    res.end(service.render(operation, result, requestId));
    return;
  }
  const contentType = service.protocol === "json" ? "application/x-amz-json-1.1" : "application/json";
  res.writeHead(200, { "Content-Type": contentType, "x-amzn-RequestId": requestId });
  res.end(toAwsJson(result ?? {}));
}

export interface SandboxServerOptions {
  port?: number;
  host?: string;
  /** The clock for session expiry and throttling (tests move it). */
  clock?: () => number;
  /**
   * The organisation's "today": image pushes, pulls, scans and costs are generated relative to
   * it. Default: the start of the current UTC day, so ages look the same whenever the demo runs.
   */
  now?: Date;
}

function startOfUtcDay(ms: number): Date {
  return new Date(Math.floor(ms / 86_400_000) * 86_400_000);
}

export async function startSandbox(options: SandboxOptions, { port = 0, host = "127.0.0.1", clock = Date.now, now }: SandboxServerOptions = {}): Promise<RunningSandbox> {
  const organization = buildOrganization(options, now ?? startOfUtcDay(clock()));
  const services = createServices(organization, clock);
  const throttle = new Throttle(clock);
  const metrics = emptyMetrics();
  let sequence = 0;
  let stormSequence = 0;

  const server = http.createServer(async (req, res) => {
    const requestId = randomUUID();
    const url = new URL(req.url ?? "/", "http://sandbox");
    if (url.pathname === "/__sandbox/metrics") {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ ...metrics, rates: { default: DEFAULT_RATE, operations: RATES, throttling: options.throttle } }));
      return;
    }
    let service: ServiceDefinition | undefined;
    let key = "unknown";
    try {
      const body = await readBody(req);
      const scope = parseSignatureScope(req.headers.authorization);
      service = services[scope.service];
      if (!service) throw new AwsError("UnknownOperationException", `The sandbox does not serve the ${scope.service} service`, 400);
      const { operation, input } = decode(service, req, url, body);
      key = `${scope.service}:${operation}`;
      bump(metrics.calls, key);
      metrics.total += 1;

      const caller: CallerIdentity = identifyCaller(organization, scope.accessKeyId, req.headers["x-amz-security-token"] as string | undefined, new Date(clock()));
      const account = findAccount(organization, caller.accountId);
      if (account && scope.service !== "sts" && !account.regions.includes(scope.region)) {
        // What AWS answers in an opt-in region the account has not enabled (STACK.md, trap 6).
        throw new AwsError("UnrecognizedClientException", "The security token included in the request is invalid.", 400);
      }
      const denied = organization.faults?.accessDenied;
      if (denied && denied.accountId === caller.accountId && denied.operation === operation) {
        throw new AwsError(
          service.protocol === "query" ? "UnauthorizedOperation" : "AccessDeniedException",
          `User: ${caller.arn} is not authorized to perform: ${scope.service}:${operation} because no identity-based policy allows the ${scope.service}:${operation} action`,
          service.protocol === "rest-json" || service.protocol === "query" ? 403 : 400,
        );
      }
      if (options.throttle && !throttle.take(caller.accountId, scope.region, scope.service, operation)) {
        bump(metrics.throttled, key);
        throw new AwsError("ThrottlingException", "Rate exceeded", 400);
      }
      if (options.throttleStorm && scope.service !== "sts") {
        // Spread evenly: the storm's share of every run of calls, not a random burst.
        stormSequence += 1;
        if (Math.floor(stormSequence * options.throttleStorm) !== Math.floor((stormSequence - 1) * options.throttleStorm)) {
          bump(metrics.throttled, key);
          throw new AwsError("ThrottlingException", "Rate exceeded", 400);
        }
      }
      if (options.stall && options.stall.accountId === caller.accountId && scope.service !== "sts") {
        await new Promise((resolve) => setTimeout(resolve, options.stall!.ms));
      }
      // Served (not throttled) calls per target: what a benchmark's lower bound divides by the rates.
      const targetKey = `${caller.accountId}/${scope.service === "ce" || scope.service === "organizations" ? "global" : scope.region}`;
      bump((metrics.byTarget[targetKey] ??= {}), key);
      sequence += 1;
      if (options.faults && sequence % 101 === 0) {
        throw new AwsError(service.protocol === "json" ? "ServerException" : "InternalFailure", "We encountered an internal error. Please try again.", 500);
      }
      const latency = options.latencyMs + (options.faults && sequence % 7 === 0 ? 150 : 0);
      if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));

      const request: SandboxRequest = { service: scope.service, region: scope.region, operation, caller, input, requestId };
      const result = await service.operations[operation](request);
      sendResult(res, service, operation, result, requestId);
    } catch (error) {
      const awsError = error instanceof AwsError ? error : new AwsError("InternalFailure", "The sandbox failed to answer", 500);
      if (!(error instanceof AwsError)) console.error(`[sandbox] ${key}: ${error instanceof Error ? error.stack : String(error)}`);
      bump(metrics.errors, `${key}:${awsError.code}`);
      if (!res.headersSent) sendError(res, service, awsError, requestId);
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const actualPort = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${actualPort}`,
    port: actualPort,
    organization,
    metrics: () => structuredClone(metrics),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
