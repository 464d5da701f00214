// Realistic cases, made by running the real commands, so every generated case
// obeys the rules. Seeded: the same seed gives the same cases. Serves the demo
// data, the tests and the 10,000-case benchmarks.
import type { Actor, Case, CaseEvent, Deliverable, FieldValue, StageId } from './case';
import type { NewCaseInput } from './case-input';
import { applyCommand, type Command } from './commands';
import { printedParts } from './part-qa';
import { DEFAULT_CODE_TABLE, suggestCodes } from './cpt';
import { DEMO_CASE_PRINTERS } from './demo-lab';
import { asCaseId, asDeliverableId, asEventId } from './ids';
import { entersSterileField } from './sterilization';

export type Rng = () => number;

/** mulberry32: small, fast, good enough for test data. */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));

// Forty of each, so that (as in a hospital's patients) no one name is shared by more than a few
// percent of cases: with sixteen, every first name was on 6% of them, which no search meets in life.
const FIRST = [
  'Maria', 'James', 'Łukasz', 'Nguyễn Thị', 'Aisha', 'Sven', 'Olga', 'Mateo', 'Priya', 'Chen', 'Fatima', 'Jürgen', 'Siobhán', 'Kwame', 'Ana', 'Dmitri',
  'Sofia', 'Liam', 'Noah', 'Amara', 'Hiroshi', 'Yuki', 'Ingrid', 'Rafael', 'Zofia', 'Émile', 'Chloé', 'Omar', 'Leila', 'Tomás', 'Anjali', 'Kofi',
  'Elif', 'Mehmet', 'Astrid', 'Bogdan', 'Carmen', 'Dae-jung', 'Femi', 'Grace',
];
const LAST = [
  'García', 'Smith', 'Żółć', 'Lan', 'Okafor', 'Lindqvist', 'Ivanova', 'Rossi', 'Patel', 'Wei', 'Haddad', 'Müller', "O'Brien", 'Mensah', 'Silva', 'Kuznetsov',
  'Johnson', 'Nakamura', 'Kim', 'Novak', 'Dubois', 'Fernández', 'Kowalski', 'Yılmaz', 'Andersson', 'Van der Berg', 'Mwangi', 'Singh', 'Cohen', 'Murphy', 'Costa', 'Horváth',
  'Papadopoulos', 'Nowak', 'Tanaka', 'Rahman', 'Eriksen', 'Ramírez', 'Schmidt', 'Adeyemi',
];
const SURGEONS = ['Dr. A. Rahman (Orthopaedics)', 'Dr. K. Novak (ENT / Head & Neck)', 'Dr. L. Brennan (Cardiac Surgery)', 'Dr. S. Ito (Urology)', 'Dr. M. Duarte (Hepatobiliary)', 'Dr. E. Wright (Spine)'];

type Template = {
  indication: string;
  icd10: string;
  region: string;
  structures: string[];
  models: { name: string; components: [string, string][] }[];
  guides: { name: string; guideType: 'cutting' | 'drilling' }[];
  modality: 'CT' | 'MR';
};

const TEMPLATES: readonly Template[] = [
  { indication: 'Acetabular fracture, pre-operative planning of fixation', icd10: 'S32.401A', region: 'Pelvis', structures: ['Pelvis', 'Sacrum', 'Proximal femur'], models: [{ name: 'Pelvis model', components: [['Pelvis', 'white'], ['Sacrum', 'white'], ['Proximal femur', 'beige']] }], guides: [], modality: 'CT' },
  { indication: 'Mandibular tumour, resection and fibula free-flap reconstruction', icd10: 'C41.1', region: 'Head and neck', structures: ['Mandible', 'Tumour', 'Fibula'], models: [{ name: 'Mandible model', components: [['Mandible', 'white'], ['Tumour', 'red']] }], guides: [{ name: 'Mandible resection guide', guideType: 'cutting' }, { name: 'Fibula osteotomy guide', guideType: 'cutting' }], modality: 'CT' },
  { indication: 'Tetralogy of Fallot, surgical planning', icd10: 'Q21.3', region: 'Heart', structures: ['Blood pool', 'Myocardium', 'Aorta', 'Pulmonary arteries'], models: [{ name: 'Heart model', components: [['Blood pool', 'red'], ['Myocardium', 'pink'], ['Aorta', 'red'], ['Pulmonary arteries', 'blue']] }], guides: [], modality: 'CT' },
  { indication: 'Renal mass, nephron-sparing surgery planning', icd10: 'C64.1', region: 'Abdomen', structures: ['Kidney', 'Tumour', 'Renal artery', 'Renal vein', 'Collecting system'], models: [{ name: 'Right kidney model', components: [['Kidney', 'clear'], ['Tumour', 'yellow'], ['Renal artery', 'red'], ['Renal vein', 'blue'], ['Collecting system', 'green']] }], guides: [], modality: 'MR' },
  { indication: 'Adolescent idiopathic scoliosis, pedicle screw planning', icd10: 'M41.125', region: 'Spine', structures: ['T10–L2 vertebrae'], models: [{ name: 'Spine model', components: [['Vertebrae T10–L2', 'white']] }], guides: [{ name: 'T11 drill guide', guideType: 'drilling' }, { name: 'T12 drill guide', guideType: 'drilling' }, { name: 'L1 drill guide', guideType: 'drilling' }], modality: 'CT' },
  { indication: 'Hepatocellular carcinoma, resection planning', icd10: 'C22.0', region: 'Abdomen', structures: ['Liver', 'Tumour', 'Portal vein', 'Hepatic veins'], models: [{ name: 'Liver model', components: [['Liver', 'clear'], ['Tumour', 'yellow'], ['Portal vein', 'blue'], ['Hepatic veins', 'purple']] }], guides: [], modality: 'CT' },
  { indication: 'Primary osteoarthritis of the right knee, arthroplasty', icd10: 'M17.11', region: 'Knee', structures: ['Distal femur', 'Proximal tibia'], models: [], guides: [{ name: 'Femoral cutting guide', guideType: 'cutting' }, { name: 'Tibial cutting guide', guideType: 'cutting' }], modality: 'CT' },
];

// Names from the demo lab's material list (demo-lab.ts).
const MATERIALS = ['VeroClear', 'Agilus30 (flexible)', 'Biocompatible resin MED610', 'PA12 nylon', 'Surgical Guide resin'];
const GUIDE_MATERIALS = ['Biocompatible resin MED610', 'Surgical Guide resin', 'PA12 nylon'];

export type GeneratedCase = { case: Case; events: CaseEvent[] };

export type GenerateOptions = {
  index: number;
  /** Time the case was opened, ISO. */
  openedAt: string;
  technician: Actor;
  radiologist: Actor;
  /** How far to take it: 0 = just opened … 4 = delivered; 5 = closed. */
  progress: number;
  newId: () => string;
  caseNumber: string;
  /** Marks the case as a demo case ("Load demo cases"); tests and benchmarks leave it unset. */
  demo?: boolean;
};

export function generateCase(rng: Rng, o: GenerateOptions): GeneratedCase {
  const t = pick(rng, TEMPLATES);
  const id = () => asDeliverableId(o.newId());
  const deliverables: Deliverable[] = [
    ...t.models.map((m): Deliverable => ({ id: id(), kind: 'model', name: m.name, copies: int(rng, 1, 2), components: m.components.map(([structure, colour]) => ({ id: id(), structure, colour, material: pick(rng, MATERIALS) })) })),
    ...t.guides.map((g): Deliverable => ({ id: id(), kind: 'guide', name: g.name, guideType: g.guideType, material: pick(rng, GUIDE_MATERIALS) })),
  ];
  const opened = Date.parse(o.openedAt);
  let clock = opened;
  const at = (hours: number) => new Date((clock += hours * 3_600_000)).toISOString();
  const dob = new Date(opened - int(rng, 1, 88) * 365.25 * 86_400_000 - int(rng, 0, 364) * 86_400_000).toISOString().slice(0, 10);
  const input: NewCaseInput = {
    patientName: `${pick(rng, FIRST)} ${pick(rng, LAST)}`,
    mrn: `MRN${String(int(rng, 100000, 999999))}${o.index % 10}`,
    dateOfBirth: dob,
    sex: pick(rng, ['female', 'male'] as const),
    indication: t.indication,
    notes: rng() < 0.05 ? 'Surgeon also requested 3D rendering (76377) for the tumour board.' : '',
    orderingPhysician: pick(rng, SURGEONS),
    physicianContact: `pager ${int(rng, 1000, 9999)}`,
    icd10: t.icd10,
    anatomicRegion: t.region,
    structures: t.structures,
    dateNeeded: new Date(opened + int(rng, 3, 21) * 86_400_000).toISOString().slice(0, 10),
    priority: pick(rng, ['routine', 'routine', 'routine', 'urgent', 'emergent'] as const),
    deliverables,
  };

  const events: CaseEvent[] = [];
  let c: Case | null = null;
  const run = (cmd: Command, actor: Actor, hours: number) => {
    const r = applyCommand(c, cmd, { actor, now: at(hours), eventId: asEventId(o.newId()) });
    if (!r.ok) throw new Error(`demo case ${o.index}: ${cmd.type} refused: ${r.reason}`);
    c = r.case;
    events.push(r.event);
  };
  const tech = o.technician, rad = o.radiologist;
  /** Effort minutes and the clinicians' part of them; now and then the split is left unknown. */
  const effort = (lo: number, hi: number, clinicianShare: readonly number[]) => {
    const total = int(rng, lo, hi);
    return [total, rng() < 0.15 ? null : Math.round(total * pick(rng, clinicianShare))] as const;
  };
  const save = (stage: StageId, values: Record<string, FieldValue>, perDeliverable?: Record<string, Record<string, FieldValue>>) =>
    run({ type: 'saveStage', stage, values, ...(perDeliverable ? { perDeliverable } : {}) }, tech, rng() * 3);
  const tickAll = (stage: StageId, items: string[]) => items.forEach((item) => run({ type: 'tick', stage, item, done: true }, tech, 0.1));

  run({ type: 'create', id: asCaseId(o.newId()), caseNumber: o.caseNumber, input, ...(o.demo ? { demo: true } : {}) }, tech, 0);
  const guides = deliverables.some((d) => d.kind === 'guide');

  if (o.progress >= 1) {
    const [consultation, consultationByClinicians] = effort(15, 90, [0.5, 0.5, 0.34, 1]);
    save('imaging', { consultationMinutes: consultation, consultationClinicianMinutes: consultationByClinicians, modality: t.modality, studyDate: new Date(opened - int(rng, 1, 10) * 86_400_000).toISOString().slice(0, 10), accessionNumber: `ACC${int(rng, 1000000, 9999999)}`, sliceThicknessMm: pick(rng, [0.5, 0.625, 1, 1.25]), contrastPhase: pick(rng, ['arterial', 'venous', 'none']) });
    tickAll('imaging', ['studyRetrieved', 'qualityAdequate']);
    run({ type: 'sign', stage: 'imaging' }, rad, int(rng, 1, 20));
  }
  if (o.progress >= 2) {
    const [segmentation, segmentationByClinicians] = effort(30, 360, [0, 0.1, 0.2]);
    const [cad, cadByClinicians] = guides ? effort(60, 300, [0, 0, 0.1]) : [null, null];
    save('segmenting', { software: pick(rng, ['Materialise Mimics', '3D Slicer', 'Synopsys Simpleware']), softwareVersion: pick(rng, ['26.0', '5.6.2', 'U-2022.12']), cadSoftware: guides ? 'Materialise 3-matic 18.0' : null, segmentationMinutes: segmentation, segmentationClinicianMinutes: segmentationByClinicians, cadMinutes: cad, cadClinicianMinutes: cadByClinicians });
    tickAll('segmenting', ['structuresSegmented', 'stlOverlaid', 'meshRepaired']);
    run({ type: 'sign', stage: 'segmenting' }, rad, int(rng, 1, 24));
  }
  if (o.progress >= 3) {
    const tolerance = 1;
    const printer = pick(rng, DEMO_CASE_PRINTERS);
    const [post, postByClinicians] = effort(20, 180, [0]);
    // Drawn in the order they always were, so the rest of every demo case is as it was.
    const printHours = Math.round(rng() * 300 + 20) / 10;
    const deviation = Math.round(rng() * 80 + 10) / 100;
    save('printing', { printer: printer.label, technology: printer.technology, scalePercent: 100, printHours, postProcessing: 'Support removal, wash, UV cure', postProcessingMinutes: post, postProcessingClinicianMinutes: postByClinicians });
    // Each printed part measured (part-qa.ts), within the tolerance; recorded at the same time, so the rest of the case's clock is unchanged.
    for (const part of printedParts(c!)) {
      const guide = c!.deliverables.some((d) => d.id === part.id);
      run({ type: 'recordPartQa', partId: part.id, measurements: [{ what: guide ? 'Guide slot length' : 'Largest dimension', nominalMm: 50, measuredMm: Math.round((50 + deviation) * 100) / 100, toleranceMm: tolerance }] }, tech, 0);
    }
    tickAll('printing', ['printedAndCleaned', 'qaMeasured', 'labelled']);
  }
  if (o.progress >= 4) {
    const use = () => pick(rng, ['yes', 'yes', 'yes', 'yes', 'no', 'unknown'] as const);
    // No draws from rng for it, so every other demo value stays as it was.
    const sterilizedOn = new Date(clock).toISOString().slice(0, 10);
    const sterile = (d: Deliverable): Record<string, FieldValue> => (entersSterileField(d) ? { cleaning: 'Enzymatic detergent wash, rinse, dried', sterilizationCycle: `LOAD-${o.index}`, sterilizedOn, sterilizedBy: 'Sterile processing, J. Okafor', recheckResult: 'pass', recheckWhat: 'Fit on the printed bone model' } : {});
    save(
      'delivery',
      { deliveredTo: o.progress >= 5 ? 'OR 4 charge nurse' : pick(rng, ['OR 4 charge nurse', 'Dr. on call, clinic B']), deliveredAt: at(int(rng, 2, 48)).slice(0, 16), feedback: rng() < 0.5 ? 'Model matched intra-operative findings.' : '', ...(guides ? { sterilizationMethod: 'h2o2-plasma', sterilizationLot: `STR-${int(rng, 10000, 99999)}` } : {}) },
      Object.fromEntries(deliverables.map((d) => [d.id, { usedInCare: o.progress >= 5 ? 'yes' : use(), ...sterile(d) }])),
    );
    tickAll('delivery', guides ? ['sterilized', 'handedOver'] : ['handedOver']);
  }
  // The demo technician read the warnings (e.g. a 76377 in the notes) before closing, as a person must.
  if (o.progress >= 5) run({ type: 'close', codeTable: DEFAULT_CODE_TABLE, confirmedWarnings: suggestCodes(c!, DEFAULT_CODE_TABLE).warnings }, tech, 1);
  return { case: c!, events };
}
