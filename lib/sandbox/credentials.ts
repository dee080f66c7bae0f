import { createHmac, timingSafeEqual } from "node:crypto";
import { AwsError } from "./errors";
import type { SandboxOrganization } from "./organization";
import type { CallerIdentity } from "./request";

/**
 * The sandbox's credentials. The base credentials are printed at start (any AWS tool can use
 * them); AssumeRole hands out session credentials whose token carries, signed, the account,
 * role and expiry, so the sandbox keeps no session state. Request signatures are parsed for the
 * access key, region and service but not verified: the sandbox tests Portwatch, not SigV4.
 */
export const BASE_ACCESS_KEY_ID = "AKIAPORTWATCHSANDBOX";
export const BASE_SECRET_ACCESS_KEY = "portwatch-sandbox-secret-not-a-real-key";

// Signs session tokens so a hand-made token is refused as AWS refuses one.
const TOKEN_KEY = "portwatch-sandbox-session-token-key";

interface SessionPayload {
  a: string; // account
  r: string; // role ARN
  n: string; // session name
  e: number; // expiry, epoch ms
}

export interface IssuedSession {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

const sign = (body: string) => createHmac("sha256", TOKEN_KEY).update(body).digest("base64url");

export function issueSession(accountId: string, roleArn: string, sessionName: string, expiresAt: Date): IssuedSession {
  const body = Buffer.from(JSON.stringify({ a: accountId, r: roleArn, n: sessionName, e: expiresAt.getTime() } satisfies SessionPayload)).toString("base64url");
  return {
    // ASIA marks temporary credentials, as AWS's do; the account is visible for debugging.
    accessKeyId: `ASIA${accountId}${sign(body).replace(/[^A-Z0-9]/gi, "").toUpperCase().slice(0, 4)}`,
    secretAccessKey: `sandbox-${sign(`${body}:secret`).slice(0, 32)}`,
    sessionToken: `${body}.${sign(body)}`,
    expiration: expiresAt,
  };
}

function decodeSession(token: string): SessionPayload | undefined {
  const [body, signature] = token.split(".");
  if (!body || !signature) return undefined;
  const expected = Buffer.from(sign(body));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  try {
    return JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as SessionPayload;
  } catch {
    return undefined;
  }
}

export interface SignatureScope {
  accessKeyId: string;
  region: string;
  service: string;
}

/** Reads `Credential=AKID/yyyymmdd/region/service/aws4_request` from a SigV4 Authorization header. */
export function parseSignatureScope(authorization: string | undefined): SignatureScope {
  if (!authorization) throw new AwsError("MissingAuthenticationTokenException", "Missing Authentication Token", 403);
  const match = /Credential=([^/,\s]+)\/\d{8}\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request/.exec(authorization);
  if (!authorization.startsWith("AWS4-HMAC-SHA256 ") || !match) {
    throw new AwsError("IncompleteSignatureException", "Authorization header requires 'Credential' parameter with a valid scope.", 403);
  }
  return { accessKeyId: match[1], region: match[2], service: match[3] };
}

export function identifyCaller(org: SandboxOrganization, accessKeyId: string, sessionToken: string | undefined, now: Date): CallerIdentity {
  if (accessKeyId === BASE_ACCESS_KEY_ID) {
    return { accountId: org.managementAccountId, arn: `arn:aws:iam::${org.managementAccountId}:user/portwatch`, accessKeyId };
  }
  const session = accessKeyId.startsWith("ASIA") && sessionToken ? decodeSession(sessionToken) : undefined;
  if (!session) throw new AwsError("UnrecognizedClientException", "The security token included in the request is invalid.", 400);
  if (session.e <= now.getTime()) throw new AwsError("ExpiredTokenException", "The security token included in the request is expired", 400);
  const roleName = session.r.split("/").pop();
  return {
    accountId: session.a,
    arn: `arn:aws:sts::${session.a}:assumed-role/${roleName}/${session.n}`,
    accessKeyId,
    roleArn: session.r,
  };
}
