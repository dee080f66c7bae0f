// The web app's HTTP server: Next.js behind a thin Node server, started by `portwatch serve`.
// Plain JavaScript so it starts without the TypeScript loader. It exists for two guarantees
// `next start` cannot give:
//  - the address a request came from is the socket's, not a client-supplied X-Forwarded-For
//    (sign-in rate limits key on it), unless PORTWATCH_TRUST_PROXY says a proxy of ours is in front;
//  - a request body over 1 MB is refused with 413 before any route reads it (an evidence export
//    uploaded to be verified may be bigger: that one route takes up to 210 MB).
import http from "node:http";
import next from "next";

const MAX_BODY_BYTES = 1024 * 1024;
// /api/evidence/verify takes an export (at most 200 MB, its own limit) and its manifest.
const MAX_VERIFY_BYTES = 210 * 1024 * 1024;
const [dir] = process.argv.slice(2);
const port = Number(process.env.PORT);
const hostname = process.env.PORTWATCH_BIND_HOST || "0.0.0.0";
const trustProxy = ["true", "1"].includes(process.env.PORTWATCH_TRUST_PROXY ?? "");

const app = next({ dev: false, dir, hostname, port });
await app.prepare();
const handle = app.getRequestHandler();

function refuse(res, status, message) {
  res.writeHead(status, { "Content-Type": "application/json", Connection: "close" });
  res.end(JSON.stringify({ error: message }));
}

const server = http.createServer((req, res) => {
  const socketAddress = (req.socket.remoteAddress ?? "unknown").replace(/^::ffff:/, "");
  const forwarded = req.headers["x-forwarded-for"];
  req.headers["x-forwarded-for"] = trustProxy && forwarded ? `${forwarded}, ${socketAddress}` : socketAddress;
  if (!trustProxy) delete req.headers["x-real-ip"];

  const verify = req.method === "POST" && (req.url ?? "").split("?")[0] === "/api/evidence/verify";
  const limit = verify ? MAX_VERIFY_BYTES : MAX_BODY_BYTES;
  const tooLarge = verify ? "The upload is larger than 210 MB: an evidence export is at most 200 MB" : "The request body is larger than 1 MB";
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limit) return refuse(res, 413, tooLarge);
  if (req.headers["transfer-encoding"] && req.method !== "GET" && req.method !== "HEAD") {
    // A chunked body has no declared length: count it as it arrives.
    let seen = 0;
    req.on("data", (chunk) => {
      seen += chunk.length;
      if (seen > limit && !res.headersSent) {
        refuse(res, 413, tooLarge);
        req.destroy();
      }
    });
  }
  handle(req, res).catch((error) => {
    console.error(`[web] ${req.method} ${req.url?.split("?")[0]}: ${error?.message ?? error}`);
    if (!res.headersSent) refuse(res, 500, "Internal error; the server log has the details");
  });
});

server.on("error", (error) => {
  console.error(`portwatch web: ${error.code === "EADDRINUSE" ? `port ${port} is in use` : error.message}`);
  process.exit(1);
});
server.listen(port, hostname, () => console.log(`Web app listening on ${hostname}:${port}`));

for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections?.();
    setTimeout(() => process.exit(0), 5000).unref();
  });
}
