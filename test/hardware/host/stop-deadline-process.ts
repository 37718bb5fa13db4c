import { armStopDeadline } from '../../../hardware/host/stop-deadline';

/**
 * A process for stop-deadline.test.ts: arms the deadline, then stops in one of three ways.
 *   node --import tsx test/hardware/host/stop-deadline-process.ts never-settles|blocked|finishes <deadlineMs> <stuckMarginMs>
 */
const [mode, deadline = '300', margin = '300'] = process.argv.slice(2);
const deadlineMs = Number(deadline);
const guard = armStopDeadline({
  deadlineMs,
  stuckMarginMs: Number(margin),
  onMissed: () => {
    process.stderr.write('missed\n');
    process.exit(1);
  },
  stuckMessage: 'stuck: killed\n',
});
process.stdout.write('armed\n');
if (mode === 'blocked') {
  // As a native call waiting without a timeout does: no timer of this thread runs meanwhile.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20 * (deadlineMs + Number(margin)));
  process.stdout.write('woke up\n');
} else if (mode === 'finishes') {
  await new Promise((resolve) => setTimeout(resolve, deadlineMs / 3));
  guard.disarm();
  // Long past the deadline: nothing may fire any more.
  await new Promise((resolve) => setTimeout(resolve, 2 * deadlineMs + Number(margin)));
  process.stdout.write('stopped\n');
} else if (mode === 'never-settles') {
  await new Promise(() => setInterval(() => undefined, 60_000));
}
