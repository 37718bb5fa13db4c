import type { z } from 'zod';

/**
 * What the controller sent that the contract's schemas refuse. Only where and how it is wrong (the
 * zod issue paths and codes), never the values: a snapshot carries names and ID numbers.
 */
export interface Unreadable {
  /** Which answer: 'snapshot', 'reply', 'dev state'. */
  readonly what: string;
  readonly issues: readonly string[];
}

/** `application.form.birthDate: invalid_format`; zod's messages are left out (some quote the input). */
export function issuesOf(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.code}`);
}

export const notJson: readonly string[] = ['(root): not JSON'];

/** For the technician's console; no DOM, so the tests run it in Node. */
export function logUnreadable({ what, issues }: Unreadable): void {
  console.error(`kiosk UI: the controller sent a ${what} this screen cannot read (not shown); issues at ${issues.join(', ')}`);
}

/** A command's answer that is neither a reply nor a refusal: the command may or may not have been done. */
export class UnreadableAnswer extends Error {
  constructor(readonly unreadable: Unreadable) {
    super(`the controller's ${unreadable.what} could not be read`);
    this.name = 'UnreadableAnswer';
  }
}

/** Parses `value` with `schema`; when it does not fit, says so (console) and returns null. */
export function readWith<S extends z.ZodType>(schema: S, value: unknown, what: string, report: (unreadable: Unreadable) => void = logUnreadable): z.infer<S> | null {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  report({ what, issues: issuesOf(parsed.error) });
  return null;
}
