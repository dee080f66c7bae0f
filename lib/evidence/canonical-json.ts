/**
 * Canonical JSON for hashing and signing: object keys sorted by UTF-16 code unit (the order
 * JavaScript's default sort gives, as RFC 8785 asks), no whitespace, strings escaped and numbers
 * printed exactly as JSON.stringify prints them. The same value always gives the same bytes, so a
 * manifest re-serialised by another tool (pretty-printed, keys reordered) still hashes and
 * verifies the same.
 *
 * Stricter than JSON.stringify where silence would change what is signed: NaN, Infinity, BigInt,
 * functions, symbols and `undefined` inside arrays throw instead of becoming null or vanishing.
 * `undefined` object members are left out, as JSON.stringify does (an optional field that is
 * unset is the same as an absent one).
 */
export function canonicalJson(value: unknown): string {
  return write(value, "$");
}

function write(value: unknown, at: string): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "boolean":
      return value ? "true" : "false";
    case "number":
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${at} is ${value}, which JSON cannot represent`);
      return JSON.stringify(value);
    case "object":
      break;
    default:
      throw new TypeError(`canonicalJson: ${at} is a ${typeof value}, which JSON cannot represent`);
  }
  if (Array.isArray(value)) {
    return `[${value.map((item, i) => {
      if (item === undefined) throw new TypeError(`canonicalJson: ${at}[${i}] is undefined`);
      return write(item, `${at}[${i}]`);
    }).join(",")}]`;
  }
  // Dates and other values with toJSON serialise as JSON.stringify would show them.
  const withToJson = value as { toJSON?: () => unknown };
  if (typeof withToJson.toJSON === "function") return write(withToJson.toJSON(), at);
  const record = value as Record<string, unknown>;
  const members: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const member = record[key];
    if (member === undefined) continue;
    members.push(`${JSON.stringify(key)}:${write(member, `${at}.${key}`)}`);
  }
  return `{${members.join(",")}}`;
}
