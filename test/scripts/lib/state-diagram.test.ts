import { describe, expect, it } from 'vitest';
import { and, assign, createMachine, fromPromise, not, setup } from 'xstate';
import { stateDiagram } from '../../../scripts/lib/state-diagram';

/** A small machine with every shape the generator draws. */
const demoMachine = setup({
  types: { context: {} as { attempts: number }, events: {} as { type: 'start-job' } | { type: 'paper.out' } | { type: 'retry' } | { type: 'cancel' } },
  actors: { sendRecord: fromPromise(async () => 'sent') },
  delays: { warmUp: 5_000 },
  guards: {
    hasPaper: () => true,
    isFatal: () => false,
    canRetry: () => true,
    tooMany: () => false,
    attemptsBelow: (_args, limit: number) => limit > 0,
  },
}).createMachine({
  id: 'demo',
  context: { attempts: 0 },
  initial: 'idle',
  states: {
    idle: { on: { 'start-job': { target: 'working', guard: 'hasPaper' } } },
    working: {
      type: 'parallel',
      // Both regions final: the job is done.
      onDone: 'done-ok',
      on: {
        'paper.out': { actions: assign({ attempts: ({ context }) => context.attempts + 1 }) },
        cancel: 'idle',
      },
      states: {
        printer: {
          initial: 'warming',
          states: {
            warming: { after: { warmUp: 'ready' } },
            ready: { type: 'final' },
          },
        },
        upload: {
          initial: 'sending',
          states: {
            sending: {
              invoke: {
                src: 'sendRecord',
                onDone: 'sent',
                onError: [{ target: '#demo.failed', guard: 'isFatal' }, { target: 'sending', reenter: true }],
              },
            },
            sent: { type: 'final' },
          },
        },
      },
    },
    failed: {
      always: [{ guard: and(['canRetry', not('tooMany')]), target: 'working' }],
      on: { retry: { guard: { type: 'attemptsBelow', params: 3 }, target: 'working' } },
    },
    'done-ok': { type: 'final' },
    // A Mermaid keyword as a state's name.
    note: {},
  },
});

describe('stateDiagram', () => {
  it('draws nested and parallel states, named delays, always, invokes and guards as Mermaid', () => {
    expect(stateDiagram(demoMachine)).toBe(`stateDiagram-v2
  [*] --> idle
  state "idle" as idle
  state "working" as working {
    state "printer" as working_printer {
      [*] --> working_printer_warming
      state "warming" as working_printer_warming
      state "ready" as working_printer_ready
      working_printer_ready --> [*]
    }
    --
    state "upload" as working_upload {
      [*] --> working_upload_sending
      state "sending" as working_upload_sending
      working_upload_sending : invoke sendRecord
      state "sent" as working_upload_sent
      working_upload_sent --> [*]
    }
  }
  note right of working
    paper.out (stays)
  end note
  state "failed" as failed
  state "done-ok" as done_ok
  done_ok --> [*]
  state "note" as note_
  idle --> working : start-job [hasPaper]
  working --> idle : cancel
  working --> done_ok : onDone
  working_printer_warming --> working_printer_ready : after warmUp
  working_upload_sending --> working_upload_sent : onDone sendRecord
  working_upload_sending --> failed : onError sendRecord [isFatal]
  working_upload_sending --> working_upload_sending : onError sendRecord
  failed --> working : retry [attemptsBelow(3)], always [(canRetry && !tooMany)]
`);
  });

  it('draws a parallel root as a box of its own, with its transitions, inline actors and history states', () => {
    const kiosk = createMachine({
      id: 'kiosk',
      type: 'parallel',
      on: { reboot: '.service.inService' },
      states: {
        service: {
          initial: 'inService',
          states: {
            inService: { on: { tamper: 'outOfService' } },
            outOfService: { after: { 500: 'inService' } },
          },
        },
        counter: {
          initial: 'idle',
          states: {
            idle: { invoke: { src: fromPromise(async () => undefined), onDone: 'checking' } },
            checking: { invoke: { id: 'cardCheck', src: fromPromise(async () => undefined), onError: 'idle' } },
            last: { type: 'history', history: 'deep' },
          },
        },
      },
    });
    expect(stateDiagram(kiosk)).toBe(`stateDiagram-v2
  state "kiosk" as kiosk {
    state "service" as service {
      [*] --> service_inService
      state "inService" as service_inService
      state "outOfService" as service_outOfService
    }
    --
    state "counter" as counter {
      [*] --> counter_idle
      state "idle" as counter_idle
      counter_idle : invoke inline actor
      state "checking" as counter_checking
      counter_checking : invoke cardCheck
      state "H*" as counter_last
    }
  }
  [*] --> kiosk
  kiosk --> service_inService : reboot
  service_inService --> service_outOfService : tamper
  service_outOfService --> service_inService : after 500ms
  counter_idle --> counter_checking : onDone inline actor
  counter_checking --> counter_idle : onError cardCheck
`);
  });
});
