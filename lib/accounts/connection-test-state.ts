import { z } from "zod";

/**
 * What a Test connection stored on the account (AwsAccount.lastTest): running, finished (what
 * AssumeRole and each region answered) or failed inside Portwatch. Pure: the page, the route
 * handler and lib/db share it. Never holds a credential: only the identity ARN STS returned and
 * AWS's error names and messages.
 */

const failureSchema = z.object({
  accountId: z.string(),
  region: z.string(),
  service: z.string(),
  operation: z.string(),
  resource: z.string().optional(),
  errorName: z.string(),
  message: z.string(),
  kind: z.string(),
});

const base = {
  startedAt: z.iso.datetime(),
  requestedBy: z.string(),
  roleArn: z.string(),
  regions: z.array(z.string()),
};

export const connectionTestStateSchema = z.discriminatedUnion("status", [
  z.object({ status: z.literal("running"), ...base }),
  z.object({
    status: z.literal("finished"),
    ...base,
    finishedAt: z.iso.datetime(),
    /** AssumeRole worked and every region answered. */
    ok: z.boolean(),
    assumeRole: z.union([
      z.object({ ok: z.literal(true), identityArn: z.string() }),
      z.object({ ok: z.literal(false), failure: failureSchema }),
    ]),
    regionResults: z.array(z.object({ region: z.string(), ok: z.boolean(), operation: z.string(), failure: failureSchema.optional() })),
  }),
  z.object({ status: z.literal("error"), ...base, finishedAt: z.iso.datetime(), message: z.string() }),
]);

export type ConnectionTestState = z.output<typeof connectionTestStateSchema>;
export type FinishedConnectionTest = Extract<ConnectionTestState, { status: "finished" }>;

/** A test that runs longer than this was lost (the server restarted mid-test): it is shown as failed. */
export const CONNECTION_TEST_LOST_AFTER_MS = 5 * 60_000;

/** The stored value as the page shows it; anything unreadable is "no test yet". */
export function readConnectionTestState(stored: unknown, now: Date = new Date()): ConnectionTestState | null {
  const parsed = connectionTestStateSchema.safeParse(stored);
  if (!parsed.success) return null;
  const state = parsed.data;
  if (state.status === "running" && now.getTime() - Date.parse(state.startedAt) > CONNECTION_TEST_LOST_AFTER_MS) {
    return {
      ...state,
      status: "error",
      finishedAt: new Date(Date.parse(state.startedAt) + CONNECTION_TEST_LOST_AFTER_MS).toISOString(),
      message: "The test did not finish (the server may have restarted while it ran); run it again",
    };
  }
  return state;
}
