import fc from "fast-check";

// Bad values shared by the fuzz tests: each is something a user, a script or an attacker could
// send, and each must be refused with the field named (or, for free text, stored verbatim).

/** Over 1 MB: more than Next accepts in a server action body, so a schema must cap it first. */
export const OVER_ONE_MB = "x".repeat(1024 * 1024 + 1);
export const TEN_K_EMOJI = "\u{1F600}".repeat(10_000);

/** Strings that have broken other systems: SQL, HTML, templates, paths, NUL, bidi overrides. */
export const INJECTIONS = [
  `'; DROP TABLE "User"; --`,
  `" OR 1=1 --`,
  "<script>alert(1)</script>",
  "{{7*7}}",
  "${7*7}",
  "../../etc/passwd",
  "..\\..\\windows\\win.ini",
  "nul\u0000byte",
  "\u202Egnp.exe",
  "\u2066isolate\u2069",
  "line\nbreak",
  "__proto__",
  TEN_K_EMOJI,
] as const;

/** Values of the wrong JSON type for a string field. `undefined` is added for required fields. */
export const NOT_A_STRING: unknown[] = [0, -1, 1.5, Number.NaN, [], ["x"], {}, { a: 1 }, null, true, false];
export const NOT_A_BOOLEAN: unknown[] = ["true", "false", "1", 0, 1, null, [], {}, "yes"];
export const NOT_A_NUMBER: unknown[] = ["1", "", null, true, [], {}, Number.NaN, Number.POSITIVE_INFINITY, -Number.MAX_VALUE, Number.MAX_SAFE_INTEGER * 4];

export const badType = (required: boolean, values: unknown[] = NOT_A_STRING) =>
  fc.constantFrom(...(required ? [...values, undefined] : values));

/** Not a 12-digit AWS account id: 11 or 13 digits, letters, non-ASCII digits, signs, inner spaces. */
export const badAccountId = fc.oneof(
  fc.stringMatching(/^\d{11}$/),
  fc.stringMatching(/^\d{13}$/),
  fc.stringMatching(/^\d{6}[a-zA-Z]\d{5}$/),
  fc.constantFrom(
    "\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669\u0660\u0661\u0662", // Arabic-Indic digits
    "\uFF11\uFF12\uFF13\uFF14\uFF15\uFF16\uFF17\uFF18\uFF19\uFF10\uFF11\uFF12", // full-width digits
    "-12345678901",
    "+123456789012",
    "123 456 789 012",
    "1.23456789e11",
    "123456789012\u0000",
    OVER_ONE_MB,
    ...INJECTIONS,
  ),
);

/** Not an IAM role ARN in account 123456789012. */
export const badRoleArn = fc.oneof(
  fc.constantFrom(
    "arn:aws-xx:iam::123456789012:role/Portwatch",
    "arn:aws:s3::123456789012:role/Portwatch",
    "arn:aws:iam:us-east-1:123456789012:role/Portwatch",
    "arn:aws:iam::12345678901:role/Portwatch",
    "arn:aws:iam::123456789012:user/Portwatch",
    "arn:aws:iam::123456789012:role/",
    "arn:aws:iam::123456789012:role/My Role",
    "arn:aws:iam::123456789012:role//double",
    `arn:aws:iam::123456789012:role/${"a".repeat(2048)}`,
    `arn:aws:iam::123456789012:role/${"p/".repeat(1000)}R`,
    "arn:aws:iam::123456789012:role/R\u0000",
    "role/Portwatch",
    OVER_ONE_MB,
    ...INJECTIONS,
  ),
  fc.string({ maxLength: 80 }).filter((s) => !s.trim().startsWith("arn:")),
);

/** Not a known AWS region. */
export const badRegion = fc.oneof(
  fc.constantFrom("mars-north-1", "US-EAST-1", "us_east_1", "us-east-99", "*", OVER_ONE_MB, ...INJECTIONS),
  fc.stringMatching(/^[a-z]{2}-[a-z]{4,9}-\d{2,3}$/),
);

/** A date an expiry must not be: past, today, far future, not a calendar day, not a date at all. */
export function badExpiryDate(now = new Date()) {
  const day = (offset: number) => new Date(now.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
  return fc.oneof(
    fc.constantFrom(day(-1), day(-400), day(367), day(365 * 20), "9999-12-31", "0000-01-01", "2026-02-30", "2026-13-01", "2026-1-1"),
    fc.constantFrom("+275760-09-13", "tomorrow", "1e10", `${day(30)}T00:00:00Z`, `${day(30)} `.repeat(2), OVER_ONE_MB, ...INJECTIONS),
    fc.integer({ min: 1, max: 3000 }).map((n) => day(-n)),
  );
}

/** Enum values that are close to a real one but are not it. */
export const unknownEnum = (real: readonly string[]) =>
  fc.oneof(
    fc.constantFrom("", "superuser", "*", OVER_ONE_MB, ...INJECTIONS, ...real.map((v) => v.toUpperCase()), ...real.map((v) => ` ${v}`)),
    fc.string({ maxLength: 20 }),
  ).filter((v) => !real.includes(v));

/** An id of the cuid-like form the database uses, that is not stored (and so many that are not ids). */
export const badRowId = fc.oneof(
  fc.stringMatching(/^[a-z0-9]{25}$/),
  fc.constantFrom("", "../../etc/passwd", "%00", "1", "-1", "00000000-0000-0000-0000-000000000000", "A".repeat(30), OVER_ONE_MB, ...INJECTIONS),
);
