// The web app's HTTP server: Next.js behind a thin Node server, started by `portwatch serve`.
// Plain JavaScript so it starts without the TypeScript loader. It exists for two guarantees
// `next start` cannot give:
//  - the address a request came from is the socket's, not a client-supplied X-Forwarded-For
//    (sign-in rate limits key on it), unless PORTWATCH_TRUST_PROXY says a proxy of ours is in front;
//  - a request body over 1 MB is refused with 413 before any route reads it.
import http from "node:http";
import next from "next";

const MAX_BODY_BYTES = 1024 * 1024;
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

  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > MAX_BODY_BYTES) return refuse(res, 413, "The request body is larger than 1 MB");
  if (req.headers["transfer-encoding"] && req.method !== "GET" && req.method !== "HEAD") {
    // A chunked body has no declared length: count it as it arrives.
    let seen = 0;
    req.on("data", (chunk) => {
      seen += chunk.length;
      if (seen > MAX_BODY_BYTES && !res.headersSent) {
        refuse(res, 413, "The request body is larger than 1 MB");
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
