import "server-only";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";

/** Bulk writes through COPY, shared by the inventory writer and the compliance results writer. */

export type ColumnType = "text" | "int4" | "int8" | "bool" | "float8" | "timestamp" | "jsonb" | "text[]";

/** Rows per COPY chunk, and keys per UPDATE (array parameters, far under PostgreSQL's limits). */
export const CHUNK = 2000;

/** A column value as text (COPY's and the hash's form); null stays null. */
export function encode(type: ColumnType, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  switch (type) {
    case "timestamp":
      // timestamp(3) without time zone holds UTC: the digits of toISOString (PostgreSQL ignores the Z).
      return (value as Date).toISOString();
    case "jsonb":
      return JSON.stringify(value);
    case "text[]":
      return arrayLiteral(value as string[]);
    case "bool":
      return value ? "t" : "f";
    default:
      return String(value);
  }
}

function arrayLiteral(values: readonly string[]): string {
  let out = "{";
  for (let i = 0; i < values.length; i++) {
    if (i) out += ",";
    out += `"${values[i].replace(/["\\]/g, "\\$&")}"`;
  }
  return `${out}}`;
}

/** COPY text format: backslash, tab, newline and carriage return escaped; null is \N. */
export function copyField(value: string | null): string {
  if (value === null) return "\\N";
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => (c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r")) : value;
}

/** A COPY into the table, opened on the first row and fed in chunks with back-pressure. */
export class CopyWriter {
  private stream: ReturnType<typeof copyFrom> | undefined;
  private done: Promise<void> | undefined;
  private buffer = "";
  private rows = 0;

  constructor(
    private readonly client: pg.PoolClient,
    private readonly sql: string,
  ) {}

  async add(line: string): Promise<void> {
    this.buffer += line;
    if (++this.rows % CHUNK === 0) await this.flush();
  }

  private async flush(): Promise<void> {
    if (!this.buffer) return;
    if (!this.stream) {
      const stream = this.client.query(copyFrom(this.sql));
      this.stream = stream;
      this.done = new Promise((resolve, reject) => {
        stream.on("finish", () => resolve());
        stream.on("error", reject);
      });
      // Surfaced by end(); a failure aborts the caller's transaction.
      this.done.catch(() => undefined);
    }
    const chunk = this.buffer;
    this.buffer = "";
    if (!this.stream.write(chunk)) await new Promise((resolve) => this.stream!.once("drain", resolve));
    else await new Promise((resolve) => setImmediate(resolve));
  }

  async end(): Promise<void> {
    await this.flush();
    if (!this.stream) return;
    this.stream.end();
    await this.done;
  }
}

/** One COPY text line for `values` (already encoded). */
export function copyLine(values: readonly (string | null)[]): string {
  let line = "";
  for (let i = 0; i < values.length; i++) line += `${i ? "\t" : ""}${copyField(values[i])}`;
  return `${line}\n`;
}
