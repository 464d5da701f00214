// Cases made ready for a radiologist's sign-off through the app's own write path
// (commands and the PIN signature), for the queue and review screen tests.
import { runCommand } from '../../src/db/case-commands';
import { signStage } from '../../src/db/signing';
import type { Priority } from '../../src/domain/case';
import { asCaseId, asDeliverableId, type CaseId } from '../../src/domain/ids';
import { IMAGING_VALUES, orderInput, SEGMENTING_VALUES } from './case-builder';
import { signIn, TEST_PIN } from './render-app';

export const TECH = 'Tess Technician';
export const RAD = 'Dr. Rita Rad';
export const asTech = () => signIn(TECH, ['technician']);
export const asRad = () => signIn(RAD, ['radiologist']);

type Options = { patientName?: string; priority?: Priority; dateNeeded?: string; through?: 'imaging-ready' | 'segmenting-ready' };

/** A case whose imaging (or, after imaging is signed, segmenting) waits for the radiologist. Leaves the technician signed in. */
export async function readyCase({ patientName = 'Nguyễn Thị Lan', priority = 'routine', dateNeeded = '2027-01-15', through = 'segmenting-ready' }: Options = {}): Promise<CaseId> {
  await asTech();
  const id = asCaseId(crypto.randomUUID());
  const deliverables = [{ id: asDeliverableId(`m-${id}`), kind: 'model' as const, name: 'Pelvis model', copies: 1, components: [{ id: asDeliverableId(`c-${id}`), structure: 'Left iliac artery', colour: 'red', material: 'VeroClear' }] }];
  await runCommand(null, { type: 'create', id, input: orderInput({ patientName, priority, dateNeeded, deliverables }) });
  await runCommand(id, { type: 'saveStage', stage: 'imaging', values: { ...IMAGING_VALUES, studyDate: '2026-11-20' } });
  for (const item of ['studyRetrieved', 'qualityAdequate']) await runCommand(id, { type: 'tick', stage: 'imaging', item, done: true });
  if (through === 'imaging-ready') return id;
  await asRad();
  await signStage(id, 'imaging', TEST_PIN);
  await asTech();
  await runCommand(id, { type: 'saveStage', stage: 'segmenting', values: SEGMENTING_VALUES });
  for (const item of ['structuresSegmented', 'stlOverlaid', 'meshRepaired']) await runCommand(id, { type: 'tick', stage: 'segmenting', item, done: true });
  return id;
}
