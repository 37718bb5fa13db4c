/**
 * Proving that something did NOT happen. A fixed sleep says nothing on a loaded machine: the thing
 * may simply not have had its turn yet. So the wait is measured: `factor` times as long as the
 * positive case (the same thing happening, timed in the same test), never less than `floorMs`.
 */
export interface AbsenceWindow {
  /** How many times the positive case's duration to wait (default 3). */
  readonly factor?: number;
  /** The shortest wait, however fast the positive case was (default 200 ms). */
  readonly floorMs?: number;
}

const defaultFactor = 3;
const defaultFloorMs = 200;
const pollMs = 10;

/** How long to watch for an absence, given how long the positive case took. */
export function absenceWindowMs(positiveMs: number, window: AbsenceWindow = {}): number {
  return Math.max(window.floorMs ?? defaultFloorMs, (window.factor ?? defaultFactor) * positiveMs);
}

/** Runs `action` and returns how long it took, in ms (the positive case's duration). */
export async function timed(action: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await action();
  return performance.now() - start;
}

/**
 * Watches `happened` for the whole window and fails as soon as it holds (saying `what`), so that the
 * thing that must not happen is caught early, and the wait is only as long as the proof needs.
 */
export async function expectAbsentFor(
  happened: () => boolean | Promise<boolean>,
  positiveMs: number,
  options: AbsenceWindow & { readonly what?: string } = {},
): Promise<void> {
  const windowMs = absenceWindowMs(positiveMs, options);
  const deadline = performance.now() + windowMs;
  for (;;) {
    if (await happened()) {
      throw new Error(`${options.what ?? 'what must not happen'} happened (watched for ${Math.round(windowMs)} ms, ${options.factor ?? defaultFactor}× the ${Math.round(positiveMs)} ms the positive case took)`);
    }
    if (performance.now() >= deadline) return;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
