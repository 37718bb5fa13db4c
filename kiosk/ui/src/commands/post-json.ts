import { operatorRoles, refusalCodes, refused, type CommandReply, type OperatorRole, type RefusalCode } from '../../../../shared/contract/kiosk-api';

/**
 * One request to the controller and its answer as a Reply. A refusal by the request guard (401,
 * 403) or a route (400, 404) comes back as `{ error, code? }` and becomes a refused Reply; only a
 * request that never got an answer (controller down) rejects. No DOM types here: the tests run it in Node.
 */
export type Reply = CommandReply;

const codes: ReadonlySet<string> = new Set(refusalCodes);
const roles: ReadonlySet<string> = new Set(operatorRoles);

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
  if (isRecord(json) && typeof json['error'] === 'string') return refused(codeOf(json, response.status), json['error']);
  if (isRecord(json) && json['accepted'] === true) return { accepted: true };
  if (isRecord(json) && json['accepted'] === false) {
    const reason = typeof json['reason'] === 'string' ? json['reason'] : '';
    const role = json['role'];
    return typeof role === 'string' && roles.has(role)
      ? { accepted: false, code: codeOf(json, response.status), reason, role: role as OperatorRole }
      : refused(codeOf(json, response.status), reason);
  }
  return refused('other', `the controller answered HTTP ${response.status} with something else than a reply`);
}

/** The refusal's code; an older controller without codes still has its token refusals known by their status. */
function codeOf(json: Record<string, unknown>, status: number): RefusalCode {
  const code = json['code'];
  if (typeof code === 'string' && codes.has(code)) return code as RefusalCode;
  return status === 401 ? 'token' : 'other';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
