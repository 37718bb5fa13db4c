import { startProcess } from '../../../hardware/host/child-processes';
import { startPcscd } from '../../../hardware/nfc/pcscd';

/**
 * A parent for child-processes.test.ts to kill: starts one helper the way the kiosk does, says
 * "ready", then idles until it is killed.
 *   node --import tsx test/hardware/host/parent-process.ts sleep|pcscd
 */
const helper = process.argv[2];
if (helper === 'sleep') {
  startProcess('sleep', ['600']);
} else if (helper === 'pcscd') {
  await startPcscd();
} else {
  process.stderr.write('usage: parent-process.ts sleep|pcscd\n');
  process.exit(2);
}
process.stdout.write('ready\n');
setInterval(() => undefined, 60_000);
