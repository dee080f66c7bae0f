import { describe, expect, it } from "vitest";
import { readConnectionTestState } from "./connection-test-state";

const running = { status: "running", startedAt: "2026-11-28T10:00:00.000Z", requestedBy: "a@example.com", roleArn: "arn:aws:iam::111111111111:role/R", regions: ["us-east-1"] };

describe("readConnectionTestState", () => {
  it("shows a running test as running while it may still finish", () => {
    expect(readConnectionTestState(running, new Date("2026-11-28T10:04:00Z"))).toEqual(running);
  });

  it("shows a test that never finished (the server restarted) as failed, so the page stops waiting", () => {
    expect(readConnectionTestState(running, new Date("2026-11-28T10:06:00Z"))).toMatchObject({
      status: "error",
      finishedAt: "2026-11-28T10:05:00.000Z",
      message: expect.stringContaining("did not finish"),
    });
  });

  it("treats anything unreadable as no test yet", () => {
    expect(readConnectionTestState(null)).toBeNull();
    expect(readConnectionTestState({ status: "done" })).toBeNull();
  });
});
