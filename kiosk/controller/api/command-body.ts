import type { z } from 'zod';

/**
 * A command's body as the API reads it: JSON, then the contract's zod schema. Never throws; a refusal is a
 * 400 that names each field that is wrong (its path) and quotes none of the values (a body may hold an ID
 * number or a PIN). The same function serves `POST /api/command`, `POST /api/dev` and the fuzz target.
 */
export type BodyVerdict<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly status: 400; readonly error: string; readonly code: 'invalid-input' };

/** Enough to name every field of a real command; a body with thousands of wrong keys gets the first few. */
const maxIssues = 8;
const maxIssueChars = 1_200;

export function readCommandBody<S extends z.ZodType>(text: string, schema: S): BodyVerdict<z.infer<S>> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // A fixed answer: the parser's message quotes the body.
    return { ok: false, status: 400, error: 'the request body is not valid JSON', code: 'invalid-input' };
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issues = parsed.error.issues;
  const named = issues.slice(0, maxIssues).map((issue) => clip(`${issue.path.map(String).join('.') || '(body)'}: ${issue.message}`));
  const more = issues.length > maxIssues ? `; and ${issues.length - maxIssues} more` : '';
  return { ok: false, status: 400, error: `invalid command: ${named.join('; ')}${more}`, code: 'invalid-input' };
}

function clip(text: string): string {
  return text.length <= maxIssueChars ? text : `${text.slice(0, maxIssueChars)}…`;
}
