import type { AwsFailure, FailureKind } from "./types";

/**
 * AWS errors turned into our AwsFailure: AWS's own error name and message are kept, with the
 * account, region and call they came from, and a `kind` the UI and the evaluator can act on.
 */

/** Where a call was made; a failure always names it (STYLE.md, habit 9). */
export interface CallSite {
  accountId: string;
  region: string;
  service: string;
  operation: string;
  resource?: string;
}

/** A call that failed for good: thrown by callAws, AssumeRole and the collectors' fatal steps. */
export class AwsCallError extends Error {
  readonly failure: AwsFailure;

  constructor(failure: AwsFailure) {
    const on = failure.resource ? ` on ${failure.resource}` : "";
    super(`${failure.service}:${failure.operation} in ${failure.accountId}/${failure.region}${on} failed: ${failure.errorName}: ${failure.message}`);
    this.name = "AwsCallError";
    this.failure = failure;
  }
}

export function isAwsCallError(error: unknown): error is AwsCallError {
  return error instanceof AwsCallError;
}

const ACCESS_DENIED = /^(AccessDenied|UnauthorizedOperation$|AuthorizationError$|UnauthorizedException$|NotAuthorized|Forbidden)/;
const THROTTLED = new Set([
  "BandwidthLimitExceeded",
  "EC2ThrottledException",
  "PriorRequestNotComplete",
  "ProvisionedThroughputExceededException",
  "RequestLimitExceeded",
  "RequestThrottled",
  "RequestThrottledException",
  "SlowDown",
  "TooManyRequestsException",
  // Cost Explorer and Organizations answer their request-rate limit with this name.
  "LimitExceededException",
]);
const INVALID_CREDENTIALS = new Set([
  "ExpiredToken",
  "ExpiredTokenException",
  "InvalidAccessKeyId",
  "InvalidClientTokenId",
  "UnrecognizedClientException",
  "SignatureDoesNotMatch",
  "InvalidSignatureException",
  "IncompleteSignature",
  "IncompleteSignatureException",
  "MissingAuthenticationToken",
  "MissingAuthenticationTokenException",
  "AuthFailure",
  "CredentialsProviderError",
  "TokenProviderError",
]);
const TIMEOUT = new Set(["TimeoutError", "RequestTimeout", "RequestTimeoutException", "ETIMEDOUT", "ESOCKETTIMEDOUT"]);
const NETWORK = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "ECONNABORTED", "NetworkingError"]);
const SERVER = new Set(["InternalFailure", "InternalError", "InternalServerError", "InternalServerException", "ServerException", "ServiceUnavailable", "ServiceUnavailableException"]);

/**
 * A disabled opt-in region answers every non-STS call with UnrecognizedClientException (or
 * InvalidClientTokenId), the same words as a bad token: STACK.md, trap 6. STS is the exception
 * because its endpoint answers in every region, so there the words mean what they say.
 */
const REGION_DISABLED = new Set(["UnrecognizedClientException", "InvalidClientTokenId"]);

export function classifyAwsError(errorName: string, httpStatus: number | undefined, service: string): FailureKind {
  if (REGION_DISABLED.has(errorName) && service !== "sts") return "region-disabled";
  if (ACCESS_DENIED.test(errorName)) return "access-denied";
  if (errorName.startsWith("Throttl") || THROTTLED.has(errorName) || httpStatus === 429) return "throttled";
  if (INVALID_CREDENTIALS.has(errorName)) return "invalid-credentials";
  if (TIMEOUT.has(errorName)) return "timeout";
  if (NETWORK.has(errorName)) return "network";
  if (SERVER.has(errorName) || (httpStatus !== undefined && httpStatus >= 500)) return "server";
  if (/NotFound/.test(errorName) || httpStatus === 404) return "not-found";
  return "other";
}

/**
 * Removes what must never reach a log or a page: access key ids (an AWS message about a
 * signature can quote the canonical request) and anything shaped like a session token.
 */
export function redactSecrets(text: string): string {
  return text
    .replace(/\b(?:AKIA|ASIA|AROA|AIDA)[A-Z0-9]{12,}\b/g, "[access key id]")
    .replace(/[A-Za-z0-9+/=._-]{120,}/g, "[token]");
}

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  $response?: { statusCode?: unknown };
  cause?: unknown;
}

function errorNameOf(error: ErrorLike): string {
  const name = typeof error.name === "string" ? error.name : "";
  const code = typeof error.code === "string" ? error.code : "";
  // Node's socket errors are plain Errors whose `code` says what happened (ECONNREFUSED, ...).
  if ((!name || name === "Error") && code) return code;
  if (name && name !== "Error") return name;
  const cause = error.cause as ErrorLike | undefined;
  if (cause && typeof cause === "object") {
    const inner = errorNameOf(cause);
    if (inner !== "Error") return inner;
  }
  return name || "Error";
}

function httpStatusOf(error: ErrorLike): number | undefined {
  const status = error.$metadata?.httpStatusCode ?? error.$response?.statusCode;
  return typeof status === "number" ? status : undefined;
}

/** Converts anything a call threw into an AwsFailure at `where`. An AwsCallError keeps its own site (e.g. an AssumeRole behind an ECR call). */
export function toAwsFailure(error: unknown, where: CallSite): AwsFailure {
  if (error instanceof AwsCallError) return error.failure;
  const e: ErrorLike = typeof error === "object" && error !== null ? (error as ErrorLike) : { message: String(error) };
  const errorName = errorNameOf(e);
  const status = httpStatusOf(e);
  const kind = classifyAwsError(errorName, status, where.service);
  const awsMessage = redactSecrets(typeof e.message === "string" && e.message ? e.message : errorName);
  const timeout = kind === "timeout" ? /(\d+) ms requestTimeout/.exec(awsMessage) : null;
  const message =
    kind === "region-disabled"
      ? `Region ${where.region} is probably not enabled for account ${where.accountId} (an opt-in region answers every call this way until the account enables it). AWS said: ${awsMessage}`
      : timeout
        ? `AWS did not answer ${where.service}:${where.operation} within ${Number(timeout[1]) / 1000} s (the request timeout), on every attempt: the endpoint or the network to it is not responding`
        : awsMessage;
  return {
    accountId: where.accountId,
    region: where.region,
    service: where.service,
    operation: where.operation,
    ...(where.resource ? { resource: where.resource } : {}),
    errorName,
    message,
    kind,
  };
}
