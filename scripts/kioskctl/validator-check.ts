import { openBillValidator } from '../../hardware/bill-validator/driver';
import type { BillEvent, BillValidatorError } from '../../hardware/bill-validator/types';

/** How long `kioskctl doctor` waits for a validator to answer before it says why not. */
export const validatorCheckMs = 3000;

/** Self-check (232) fault codes a technician can act on (ccTalk fault code table). */
const selfCheckFaults: Readonly<Record<number, string>> = {
  38: 'fault on the stacker (cash box out or full)',
  39: 'a note is jammed',
};

const stackerStatuses = new Set(['stacker-ok', 'stacker-removed', 'stacker-inserted', 'stacker-faulty', 'stacker-full', 'stacker-jammed']);

/**
 * Opens the validator at `path`, identifies it and runs its self-check: one line for `kioskctl doctor`
 * (who it is, the notes it knows, the stacker as its last events say), or what is wrong on the bus.
 */
export async function validatorCheck(path: string, waitMs = validatorCheckMs): Promise<{ readonly ok: boolean; readonly text: string }> {
  const validator = openBillValidator({ path, pollMs: 100, reopenIntervalMs: 200 });
  try {
    const connected = await Promise.race([validator.whenConnected(), new Promise<false>((resolve) => setTimeout(() => resolve(false), waitMs).unref())]);
    if (!connected) {
      const ping = await validator.ping();
      return { ok: false, text: `${path}: ${ping.ok ? 'answers a poll but cannot be set up (escrow mode or bill ids refused)' : busProblem(ping.error)}` };
    }
    const identity = await validator.identify();
    if (!identity.ok) return { ok: false, text: `${path}: ${busProblem(identity.error)}` };
    const self = await validator.selfCheck();
    const buffer = await validator.readBuffer();
    const { manufacturer, product, serialNumber, billTypes } = identity.value;
    const notes = billTypes.map((type) => type.value).join('/');
    const stacker = buffer.ok ? lastStacker(buffer.value.events) : undefined;
    const selfText = !self.ok ? `self-check failed: ${busProblem(self.error)}` : self.value === 0 ? 'self-check OK' : `self-check fault ${self.value}${selfCheckFaults[self.value] ? `: ${selfCheckFaults[self.value]}` : ''}`;
    return {
      ok: self.ok && self.value === 0,
      text: `${manufacturer} ${product} serial ${serialNumber}, notes NT$${notes || 'none'}, ${selfText}${stacker ? `, last stacker event: ${stacker}` : ''}`,
    };
  } finally {
    await validator.close();
  }
}

function lastStacker(events: readonly BillEvent[]): string | undefined {
  for (const event of [...events].reverse()) if (event.kind === 'status' && stackerStatuses.has(event.status)) return event.status;
  return undefined;
}

function busProblem(error: BillValidatorError): string {
  switch (error.kind) {
    case 'no_echo':
      return 'no echo of our own bytes: the ccTalk bus is broken (interface unpowered, cable) or the interface is two-wire';
    case 'timeout':
      return 'the bus works but nothing answers at address 40: validator power, address or baud rate (9600)';
    default:
      return `${error.kind}: ${error.message}`;
  }
}
