import { describe, expect, it } from "vitest";
import { AwsCallError, classifyAwsError, redactSecrets, toAwsFailure } from "./errors";

const where = { accountId: "111122223333", region: "eu-west-1", service: "ecr", operation: "DescribeRepositories" };

/** An error shaped as the SDK throws it: AWS's name, message and HTTP status. */
const sdkError = (name: string, message: string, httpStatusCode?: number) => Object.assign(new Error(message), { name, $metadata: { httpStatusCode } });

describe("classifyAwsError", () => {
  it.each([
    ["AccessDeniedException", 400, "ecr", "access-denied"],
    ["AccessDenied", 403, "sts", "access-denied"],
    ["UnauthorizedOperation", 403, "ec2", "access-denied"],
    ["AuthorizationError", 403, "sns", "access-denied"],
    ["ThrottlingException", 400, "ecr", "throttled"],
    ["Throttling", 400, "sts", "throttled"],
    ["TooManyRequestsException", 429, "organizations", "throttled"],
    ["RequestLimitExceeded", 503, "ec2", "throttled"],
    ["LimitExceededException", 400, "ce", "throttled"],
    ["SomethingNew", 429, "kms", "throttled"],
    ["UnrecognizedClientException", 400, "ecr", "region-disabled"],
    ["InvalidClientTokenId", 403, "kms", "region-disabled"],
    ["InvalidClientTokenId", 403, "sts", "invalid-credentials"],
    ["ExpiredTokenException", 400, "ecr", "invalid-credentials"],
    ["ExpiredToken", 400, "sts", "invalid-credentials"],
    ["TimeoutError", undefined, "ecr", "timeout"],
    ["RequestTimeout", 408, "ecr", "timeout"],
    ["ECONNREFUSED", undefined, "ecr", "network"],
    ["ECONNRESET", undefined, "ecr", "network"],
    ["ServerException", 500, "ecr", "server"],
    ["InternalFailure", 500, "ec2", "server"],
    ["Whatever", 503, "ecr", "server"],
    ["RepositoryNotFoundException", 400, "ecr", "not-found"],
    ["InvalidParameterException", 400, "ecr", "other"],
  ] as const)("%s (HTTP %s, %s) is %s", (name, status, service, kind) => {
    expect(classifyAwsError(name, status, service)).toBe(kind);
  });
});

describe("toAwsFailure", () => {
  it("keeps AWS's error name and message with the account, region, call and resource", () => {
    const failure = toAwsFailure(sdkError("AccessDeniedException", "User: x is not authorized to perform: ecr:GetLifecyclePolicy", 400), {
      ...where,
      operation: "GetLifecyclePolicy",
      resource: "arn:aws:ecr:eu-west-1:111122223333:repository/a",
    });
    expect(failure).toEqual({
      accountId: "111122223333",
      region: "eu-west-1",
      service: "ecr",
      operation: "GetLifecyclePolicy",
      resource: "arn:aws:ecr:eu-west-1:111122223333:repository/a",
      errorName: "AccessDeniedException",
      message: "User: x is not authorized to perform: ecr:GetLifecyclePolicy",
      kind: "access-denied",
    });
  });

  it("says a region is probably not enabled, keeping AWS's own words", () => {
    const failure = toAwsFailure(sdkError("UnrecognizedClientException", "The security token included in the request is invalid.", 400), where);
    expect(failure.kind).toBe("region-disabled");
    expect(failure.errorName).toBe("UnrecognizedClientException");
    expect(failure.message).toContain("eu-west-1 is probably not enabled for account 111122223333");
    expect(failure.message).toContain("The security token included in the request is invalid.");
  });

  it("says in words which call AWS did not answer in time, not the HTTP handler's wording", () => {
    const late = Object.assign(new Error("@smithy/node-http-handler - [ERROR] a request has exceeded the configured 30000 ms requestTimeout."), { name: "TimeoutError", code: "ETIMEDOUT" });
    const failure = toAwsFailure(late, where);
    expect(failure).toMatchObject({ errorName: "TimeoutError", kind: "timeout" });
    expect(failure.message).toBe(`AWS did not answer ${where.service}:${where.operation} within 30 s (the request timeout), on every attempt: the endpoint or the network to it is not responding`);
  });

  it("names Node's socket errors by their code", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" });
    expect(toAwsFailure(refused, where)).toMatchObject({ errorName: "ECONNREFUSED", kind: "network" });
    expect(toAwsFailure("a string was thrown", where)).toMatchObject({ errorName: "Error", message: "a string was thrown", kind: "other" });
  });

  it("keeps the site of an AwsCallError it is handed (an AssumeRole behind an ECR call)", () => {
    const sts = toAwsFailure(sdkError("AccessDenied", "not authorized to perform: sts:AssumeRole", 403), { ...where, region: "us-east-1", service: "sts", operation: "AssumeRole" });
    const error = new AwsCallError(sts);
    expect(toAwsFailure(error, where)).toBe(sts);
    expect(error.message).toBe("sts:AssumeRole in 111122223333/us-east-1 failed: AccessDenied: not authorized to perform: sts:AssumeRole");
  });

  it("never carries access key ids or session tokens", () => {
    const message = `The request signature we calculated does not match. Credential=ASIAEXAMPLEKEY123456/20261101 token ${"Zm9v".repeat(60)}`;
    const failure = toAwsFailure(sdkError("SignatureDoesNotMatch", message, 403), where);
    expect(failure.message).not.toContain("ASIAEXAMPLEKEY123456");
    expect(failure.message).not.toContain("Zm9vZm9v");
    expect(failure.kind).toBe("invalid-credentials");
    expect(redactSecrets("key AKIAPORTWATCHSANDBOX here")).toBe("key [access key id] here");
  });
});
