import { createHash, randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT } from "jose";

/**
 * A small OpenID Connect provider for the browser tests, speaking the protocol Okta, Entra ID or
 * Google speak (discovery, authorization code with PKCE, RS256 ID tokens, userinfo), so Portwatch's
 * real Auth.js OIDC client is exercised end to end. Its sign-in page asks only for an email.
 */
export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  close(): Promise<void>;
}

interface Grant {
  email: string;
  clientId: string;
  redirectUri: string;
  nonce?: string;
  codeChallenge?: string;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export async function startOidcProvider(): Promise<TestOidcProvider> {
  const clientId = "portwatch-e2e";
  const clientSecret = randomBytes(16).toString("hex");
  const { publicKey, privateKey } = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "e2e-key", alg: "RS256", use: "sig" };
  const codes = new Map<string, Grant>();
  const tokens = new Map<string, string>();
  let issuer = "";

  const subjectOf = (email: string) => createHash("sha256").update(email).digest("hex").slice(0, 24);

  const readBody = (req: http.IncomingMessage) =>
    new Promise<URLSearchParams>((resolve) => {
      let body = "";
      req.on("data", (d) => (body += d));
      req.on("end", () => resolve(new URLSearchParams(body)));
    });

  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "Content-Type": "application/json", "Cache-Control": "no-store" });
    res.end(JSON.stringify(body));
  };

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", issuer);
    if (url.pathname === "/.well-known/openid-configuration") {
      return json(res, 200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        userinfo_endpoint: `${issuer}/userinfo`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ["code"],
        subject_types_supported: ["public"],
        id_token_signing_alg_values_supported: ["RS256"],
        code_challenge_methods_supported: ["S256"],
        token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
        scopes_supported: ["openid", "email", "profile"],
      });
    }
    if (url.pathname === "/jwks") return json(res, 200, { keys: [jwk] });
    if (url.pathname === "/authorize" && req.method === "GET") {
      if (url.searchParams.get("client_id") !== clientId) return json(res, 400, { error: "unauthorized_client" });
      const hidden = [...url.searchParams].map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`).join("");
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
      return res.end(`<!doctype html><title>Test IdP</title><h1>Sign in to Test IdP</h1>
        <form method="post" action="/authorize">${hidden}<label>Work email <input name="email" type="email"></label>
        <button type="submit">Continue</button></form>`);
    }
    if (url.pathname === "/authorize" && req.method === "POST") {
      const form = await readBody(req);
      const code = randomBytes(16).toString("hex");
      codes.set(code, {
        email: form.get("email") ?? "",
        clientId: form.get("client_id") ?? "",
        redirectUri: form.get("redirect_uri") ?? "",
        nonce: form.get("nonce") ?? undefined,
        codeChallenge: form.get("code_challenge") ?? undefined,
      });
      const back = new URL(form.get("redirect_uri") ?? "");
      back.searchParams.set("code", code);
      if (form.get("state")) back.searchParams.set("state", form.get("state")!);
      back.searchParams.set("iss", issuer);
      res.writeHead(302, { Location: back.toString() });
      return res.end();
    }
    if (url.pathname === "/token" && req.method === "POST") {
      const form = await readBody(req);
      const basic = req.headers.authorization?.startsWith("Basic ")
        ? Buffer.from(req.headers.authorization.slice(6), "base64").toString().split(":").map(decodeURIComponent)
        : [form.get("client_id"), form.get("client_secret")];
      if (basic[0] !== clientId || basic[1] !== clientSecret) return json(res, 401, { error: "invalid_client" });
      const grant = codes.get(form.get("code") ?? "");
      codes.delete(form.get("code") ?? "");
      if (!grant || grant.redirectUri !== form.get("redirect_uri")) return json(res, 400, { error: "invalid_grant" });
      if (grant.codeChallenge) {
        const verifier = form.get("code_verifier") ?? "";
        if (createHash("sha256").update(verifier).digest("base64url") !== grant.codeChallenge) return json(res, 400, { error: "invalid_grant" });
      }
      const idToken = await new SignJWT({ email: grant.email, email_verified: true, name: grant.email.split("@")[0], ...(grant.nonce ? { nonce: grant.nonce } : {}) })
        .setProtectedHeader({ alg: "RS256", kid: jwk.kid })
        .setIssuer(issuer)
        .setAudience(clientId)
        .setSubject(subjectOf(grant.email))
        .setIssuedAt()
        .setExpirationTime("5m")
        .sign(privateKey);
      const accessToken = randomBytes(16).toString("hex");
      tokens.set(accessToken, grant.email);
      return json(res, 200, { access_token: accessToken, token_type: "Bearer", expires_in: 300, id_token: idToken, scope: "openid email profile" });
    }
    if (url.pathname === "/userinfo") {
      const email = tokens.get((req.headers.authorization ?? "").replace(/^Bearer /, ""));
      if (!email) return json(res, 401, { error: "invalid_token" });
      return json(res, 200, { sub: subjectOf(email), email, email_verified: true, name: email.split("@")[0] });
    }
    json(res, 404, { error: "not_found" });
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    clientId,
    clientSecret,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
