import { fromPromise } from 'xstate';
import { parkedJobFromJson, parkedJobToJson } from '../../../kiosk/controller/issuance/parked-job';
import type { ParkedJobData, ResumedJob } from '../../../kiosk/controller/issuance/issuance-types';
import type { Store } from '../../../kiosk/controller/store/store';

/**
 * The card job's parking through a real store (the job's data encrypted in it and brought back), with a
 * stand-in card face: for controller tests whose card jobs are parked when their operator leaves.
 */
export function parkingInStore(store: () => Store) {
  return {
    parkJob: fromPromise(async ({ input }: { input: { jobId: string; owner: string | null; data: ParkedJobData } }) => {
      const parked = await store().parkJob(input.jobId, parkedJobToJson(input.data), input.owner);
      if (!parked.ok) throw new Error(parked.error.kind);
    }),
    resumeJob: fromPromise(async ({ input }: { input: { jobId: string; resumedBy: string | null; takenOverFrom: string | null } }): Promise<ResumedJob> => {
      const taken = await store().unparkJob(input.jobId, { operatorId: input.resumedBy, takenOverFrom: input.takenOverFrom });
      if (!taken.ok) throw new Error(taken.error.kind);
      return { ...parkedJobFromJson(taken.value.parked), preview: { cardNumber: '3300011000000014', frontPng: new Uint8Array([0x89]), job: null } };
    }),
  };
}
