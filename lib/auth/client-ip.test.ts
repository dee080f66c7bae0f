import { describe, expect, it } from "vitest";
import { clientIp } from "./client-ip";

describe("clientIp", () => {
  const h = (xff?: string) => new Headers(xff === undefined ? {} : { "x-forwarded-for": xff });

  it("uses the address Portwatch's server wrote when no proxy is trusted", () => {
    expect(clientIp(h("10.1.2.3"), false)).toBe("10.1.2.3");
    expect(clientIp(h("6.6.6.6, 10.1.2.3"), false)).toBe("10.1.2.3");
  });

  it("uses the first address behind a trusted proxy", () => {
    expect(clientIp(h("203.0.113.9, 10.0.0.2, 127.0.0.1"), true)).toBe("203.0.113.9");
  });

  it("says unknown when there is no address", () => {
    expect(clientIp(h(), false)).toBe("unknown");
  });
});
