import type { z } from "zod";

// PostgreSQL cannot store NUL in text or JSON at all (the write fails as a server error), and the
// other C0 controls and the bidi overrides and isolates make a name read differently on screen
// (and in an evidence PDF) from what is stored. A single-line field also refuses line breaks.
const CONTROL_SINGLE_LINE = /[\u0000-\u001f\u007f\u2028\u2029]/;
const CONTROL_MULTILINE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const BIDI = /[\u202a-\u202e\u2066-\u2069]/;

/** Why `value` is not plain text, or null. */
export function hiddenCharacterProblem(value: string, { multiline = false }: { multiline?: boolean } = {}): string | null {
  if ((multiline ? CONTROL_MULTILINE : CONTROL_SINGLE_LINE).test(value)) {
    return multiline ? "must not contain control characters" : "must be one line without control characters";
  }
  if (BIDI.test(value)) return "must not contain text-direction override characters";
  return null;
}

/** The schema, refusing what hiddenCharacterProblem names: for names, reasons and other free text. */
export function plainText<T extends z.ZodType<string, string>>(schema: T, options: { multiline?: boolean } = {}): T {
  return schema.superRefine((value, ctx) => {
    const problem = hiddenCharacterProblem(value as string, options);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
}
