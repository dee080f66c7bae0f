/**
 * An AWS error as the sandbox answers it: the error code AWS uses (`__type` in JSON protocols,
 * `<Code>` in XML ones, `x-amzn-ErrorType` in REST JSON), its message and HTTP status.
 */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    /** "Sender" or "Receiver", for query-protocol error bodies. */
    readonly fault: "Sender" | "Receiver" = status >= 500 ? "Receiver" : "Sender",
  ) {
    super(message);
    this.name = code;
  }
}

export const invalidParameter = (message: string) => new AwsError("InvalidParameterException", message);

export const validationError = (message: string) => new AwsError("ValidationException", message);
