import { commandReplySchema, httpRefusalSchema, refused, type CommandReply, type RefusalCode } from '../../../../shared/contract/kiosk-api';
import { issuesOf, logUnreadable, UnreadableAnswer } from '../reading/unreadable';

/**
 * One request to the controller and its answer as a Reply, read with the contract's schemas. A
 * refusal by the request guard (401, 403) or a route (400, 404) comes back as `{ error, code? }` and
 * becomes a refused Reply. A request that never got an answer (controller down) rejects, and so does
 * (with `UnreadableAnswer`) an answer in JSON that is neither: the command may or may not have been
 * done. No DOM types here: the tests run it in Node.
 */
export type Reply = CommandReply;

export async function postJson(path: string, body: unknown, token: string): Promise<Reply> {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    return refused('other', `the controller answered HTTP ${response.status} without a reply`);
  }
  const reply = commandReplySchema.safeParse(json);
  if (reply.success) return reply.data;
  const refusal = httpRefusalSchema.safeParse(json);
  if (refusal.success) return refused(refusal.data.code ?? codeOfStatus(response.status), refusal.data.error);
  const unreadable = { what: 'reply', issues: issuesOf(reply.error) };
  logUnreadable(unreadable);
  throw new UnreadableAnswer(unreadable);
}

/** An older controller without codes still has its token refusals known by their status. */
function codeOfStatus(status: number): RefusalCode {
  return status === 401 ? 'token' : 'other';
}
