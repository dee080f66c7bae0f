/** The one message a form shows for a next-safe-action result: the server's, or each bad field named. */
export function actionErrorMessage(
  result: {
    serverError?: { message: string } | undefined;
    validationErrors?: { formErrors?: string[]; fieldErrors?: Record<string, string[] | undefined> } | undefined;
  },
  labels: Record<string, string> = {},
): string | undefined {
  if (result.serverError) return result.serverError.message;
  const v = result.validationErrors;
  if (!v) return undefined;
  const fields = Object.entries(v.fieldErrors ?? {})
    .filter(([, messages]) => messages && messages.length > 0)
    .map(([field, messages]) => `${labels[field] ?? labels[field.split(".")[0]] ?? field} ${messages![0]}`);
  const all = [...(v.formErrors ?? []), ...fields];
  // Never a refusal without a word: a shape that named nothing still says so.
  return all.length ? all.join("; ") : "Some fields are not valid";
}
