/**
 * One request to the controller and its answer as a Reply. A refusal by the request guard (401,
 * 403) or a route (400, 404) comes back as `{ error }` and becomes a refused Reply; only a request
 * that never got an answer (controller down) rejects. No DOM types here: the tests run it in Node.
 */
export type Reply = { accepted: true } | { accepted: false; reason: string };

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
    return { accepted: false, reason: `the controller answered HTTP ${response.status} without a reply` };
  }
  if (isRecord(json) && typeof json['error'] === 'string') return { accepted: false, reason: json['error'] };
  if (isRecord(json) && json['accepted'] === true) return { accepted: true };
  if (isRecord(json) && json['accepted'] === false) return { accepted: false, reason: typeof json['reason'] === 'string' ? json['reason'] : '' };
  return { accepted: false, reason: `the controller answered HTTP ${response.status} with something else than a reply` };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
