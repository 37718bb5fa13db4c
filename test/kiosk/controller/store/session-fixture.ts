import type { TransitScheme } from '../../../../shared/domain/card-types';
import type { Store } from '../../../../kiosk/controller/store/store';

/**
 * No card is made without an open service session: tests that make cards open one first. Returns the
 * session every job is begun in (the one already open, else a new one with plenty of blanks).
 */
export async function testSession(store: Store, scheme: TransitScheme = 'easycard'): Promise<{ sessionId: string; scheme: TransitScheme }> {
  const open = await store.sessions.current();
  if (open) return { sessionId: open.id, scheme };
  const opened = await store.sessions.open({ site: 'test counter', mode: 'office-counter', blanks: { easycard: 100, ipass: 100 }, operatorId: null, ribbonPrintsLeft: null });
  if (!opened.ok) throw new Error(`the test session could not be opened: ${opened.error.kind}`);
  return { sessionId: opened.value.id, scheme };
}
