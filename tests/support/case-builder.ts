// Builds cases for tests the only way the app does: by applying real commands
// through applyCommand. Nothing here hand-writes a Case shape, so every case a
// test sees is one the write path could have produced.
import type { Actor, AnatomicGuide, AnatomicModel, Case, CaseEvent, Deliverable, FieldValue, GuideType, StageId, UseInCare } from '../../src/domain/case';
import type { NewCaseInput } from '../../src/domain/case-input';
import { applyCommand, type Command, type CommandResult } from '../../src/domain/commands';
import { asCaseId, asDeliverableId, asEventId, asUserId } from '../../src/domain/ids';
import type { FileStage } from '../../src/domain/model-files';
import { entersSterileField } from '../../src/domain/sterilization';
import { isPrinted } from '../../src/domain/workflow';

export const tech: Actor = { id: asUserId('u-tech'), name: 'Tess Technician', roles: ['technician'] };
export const rad: Actor = { id: asUserId('u-rad'), name: 'Dr. Rita Radiologist', roles: ['radiologist'] };
export const rad2: Actor = { id: asUserId('u-rad2'), name: 'Dr. Ömer Øster', roles: ['radiologist'] };

export const IMAGING_VALUES: Record<string, FieldValue> = {
  modality: 'CT',
  studyDate: '2026-02-27',
  accessionNumber: 'ACC1234567',
  sliceThicknessMm: 0.625,
  contrastPhase: 'arterial',
};

export const SEGMENTING_VALUES: Record<string, FieldValue> = {
  software: 'Materialise Mimics',
  softwareVersion: '26.0',
  segmentationMinutes: 120,
};

export const PRINTING_VALUES: Record<string, FieldValue> = {
  printer: 'J5 #1 – Stratasys J5 MediJet',
  technology: 'material-jetting',
  scalePercent: 100,
  printHours: 6.5,
  postProcessing: 'Support removal, wash, UV cure',
  qaMeasuredErrorMm: 0.4,
  qaToleranceMm: 1,
};

export const STERILIZATION_VALUES: Record<string, FieldValue> = { sterilizationMethod: 'h2o2-plasma', sterilizationLot: 'STR-12345' };

/** One guide's sterilization record (delivery, per deliverable), with a re-check that passed. */
export const STERILIZATION_RECORD: Record<string, FieldValue> = {
  cleaning: 'Enzymatic detergent wash, rinse, dried',
  sterilizationCycle: 'LOAD-0412',
  sterilizedOn: '2026-03-09',
  sterilizedBy: 'Sam Sterile (SPD)',
  recheckResult: 'pass',
  recheckWhat: 'Fit on the printed tibia, slot width 1.2 mm',
};

export const CHECKLIST: Record<StageId, string[]> = {
  imaging: ['studyRetrieved', 'qualityAdequate'],
  segmenting: ['structuresSegmented', 'stlOverlaid', 'meshRepaired'],
  printing: ['printedAndCleaned', 'qaMeasured', 'labelled'],
  delivery: ['handedOver'], // plus 'sterilized' when the case has guides
};

export type Through = 'opened' | 'imaging' | 'segmenting' | 'printing' | 'delivery';

export type BuildOptions = {
  deliverables?: Deliverable[];
  /** The last stage to complete (delivery: recorded, use in care recorded, handed over). */
  through?: Through;
  /** Use in care for every deliverable, or per deliverable id (delivery only). */
  use?: UseInCare | Record<string, UseInCare>;
  deliveredAt?: string;
  notes?: string;
  printing?: Record<string, FieldValue>;
  /** Delivery recorded but 'handedOver' left unticked: delivery not complete. */
  skipHandover?: boolean;
  encounter?: NewCaseInput['encounter'];
};

export type DeliveryOptions = {
  use?: BuildOptions['use'];
  deliveredAt?: string;
  skipHandover?: boolean;
  /** Each guide's sterilization record (STERILIZATION_RECORD unless given; {} records none). */
  sterilization?: Record<string, FieldValue>;
};

/** A lab with a clock and an id source; each test makes its own. */
export class Lab {
  private clock = Date.parse('2026-03-02T08:00:00.000Z');
  private seq = 0;
  readonly events: CaseEvent[] = [];

  nextId(prefix: string): string {
    return `${prefix}-${++this.seq}`;
  }

  /** Advances the clock and returns the new time. */
  now(minutes = 5): string {
    this.clock += minutes * 60_000;
    return new Date(this.clock).toISOString();
  }

  attempt(c: Case | null, cmd: Command, actor: Actor = tech, now = this.now()): CommandResult {
    return applyCommand(c, cmd, { actor, now, eventId: asEventId(this.nextId('ev')) });
  }

  /** Applies a command that must succeed; throws the refusal otherwise. */
  apply(c: Case | null, cmd: Command, actor: Actor = tech, now?: string): Case {
    const r = this.attempt(c, cmd, actor, now);
    if (!r.ok) throw new Error(`${cmd.type} refused: ${r.reason}`);
    this.events.push(r.event);
    return r.case;
  }

  model(name: string, structures: string[], opts: { copies?: number; material?: string; colour?: string; digital?: boolean; sterile?: boolean } = {}): AnatomicModel {
    return {
      ...(opts.digital ? { digital: true as const } : {}),
      ...(opts.sterile ? { sterile: true as const } : {}),
      id: asDeliverableId(this.nextId('d')),
      kind: 'model',
      name,
      copies: opts.copies ?? 1,
      components: structures.map((structure) => ({
        id: asDeliverableId(this.nextId('p')),
        structure,
        colour: opts.colour ?? 'white',
        material: opts.material ?? 'VeroClear',
      })),
    };
  }

  guide(name: string, guideType: GuideType = 'cutting', material = 'Surgical Guide resin'): AnatomicGuide {
    return { id: asDeliverableId(this.nextId('d')), kind: 'guide', name, guideType, material };
  }

  open(deliverables: Deliverable[] = [this.model('Pelvis model', ['Pelvis'])], overrides: Partial<NewCaseInput> = {}): Case {
    return this.apply(null, { type: 'create', id: asCaseId(this.nextId('case')), caseNumber: `PP-2026-T1-${this.seq}`, input: orderInput({ ...overrides, deliverables }) });
  }

  tickAll(c: Case, stage: StageId, actor: Actor = tech): Case {
    const items = [...CHECKLIST[stage], ...(stage === 'delivery' && c.deliverables.some((d) => d.kind === 'guide') ? ['sterilized'] : [])];
    return items.reduce((acc, item) => this.apply(acc, { type: 'tick', stage, item, done: true }, actor), c);
  }

  completeImaging(c: Case): Case {
    c = this.apply(c, { type: 'saveStage', stage: 'imaging', values: IMAGING_VALUES });
    c = this.tickAll(c, 'imaging');
    return this.apply(c, { type: 'sign', stage: 'imaging' }, rad);
  }

  completeSegmenting(c: Case): Case {
    c = this.apply(c, { type: 'saveStage', stage: 'segmenting', values: SEGMENTING_VALUES });
    c = this.tickAll(c, 'segmenting');
    return this.apply(c, { type: 'sign', stage: 'segmenting' }, rad);
  }

  /** Attaches (or, with `replaces`, replaces) a model file; the SHA-256 stands in for bytes the domain never sees. */
  attachFile(c: Case, deliverableId: string, o: { name?: string; sha256?: string; size?: number; stage?: FileStage; replaces?: string } = {}, actor: Actor = tech): Case {
    const name = o.name ?? 'pelvis.stl';
    return this.apply(c, {
      type: 'attachFile',
      stage: o.stage ?? 'segmenting',
      file: { id: this.nextId('file'), deliverableId: asDeliverableId(deliverableId), name, size: o.size ?? 684, sha256: o.sha256 ?? 'a'.repeat(64), format: name.endsWith('.obj') ? 'obj' : 'stl' },
      ...(o.replaces ? { replaces: o.replaces } : {}),
    }, actor);
  }

  completePrinting(c: Case, values: Record<string, FieldValue> = PRINTING_VALUES): Case {
    c = this.apply(c, { type: 'saveStage', stage: 'printing', values });
    return this.tickAll(c, 'printing');
  }

  recordDelivery(c: Case, o: DeliveryOptions = {}): Case {
    const guides = c.deliverables.some(entersSterileField);
    const use = o.use ?? 'yes';
    const perDeliverable = Object.fromEntries(
      c.deliverables.map((d) => [d.id, { usedInCare: typeof use === 'string' ? use : (use[d.id] ?? null), ...(entersSterileField(d) ? (o.sterilization ?? STERILIZATION_RECORD) : {}) }]),
    );
    c = this.apply(c, {
      type: 'saveStage',
      stage: 'delivery',
      values: { deliveredTo: 'OR 4 charge nurse', deliveredAt: o.deliveredAt ?? '2026-03-10T07:30', ...(guides ? STERILIZATION_VALUES : {}) },
      perDeliverable,
    });
    if (guides) c = this.apply(c, { type: 'tick', stage: 'delivery', item: 'sterilized', done: true });
    if (!o.skipHandover) c = this.apply(c, { type: 'tick', stage: 'delivery', item: 'handedOver', done: true });
    return c;
  }

  build(o: BuildOptions = {}): Case {
    const order: Through[] = ['opened', 'imaging', 'segmenting', 'printing', 'delivery'];
    const upTo = order.indexOf(o.through ?? 'delivery');
    let c = this.open(o.deliverables, { ...(o.notes === undefined ? {} : { notes: o.notes }), ...(o.encounter ? { encounter: o.encounter } : {}) });
    if (upTo >= 1) c = this.completeImaging(c);
    if (upTo >= 2) c = this.completeSegmenting(c);
    // A case of digital models only has nothing to print (workflow.ts stageNotNeeded).
    if (upTo >= 3 && c.deliverables.some(isPrinted)) c = this.completePrinting(c, o.printing);
    if (upTo >= 4) {
      const opts: DeliveryOptions = {};
      if (o.use !== undefined) opts.use = o.use;
      if (o.deliveredAt !== undefined) opts.deliveredAt = o.deliveredAt;
      if (o.skipHandover !== undefined) opts.skipHandover = o.skipHandover;
      c = this.recordDelivery(c, opts);
    }
    return c;
  }
}

export function orderInput(overrides: Partial<NewCaseInput> = {}): NewCaseInput {
  return {
    patientName: 'Łukasz Żółć',
    mrn: 'MRN-100200',
    dateOfBirth: '1961-05-14',
    sex: 'male',
    indication: 'Acetabular fracture, pre-operative planning of fixation',
    notes: '',
    orderingPhysician: 'Dr. A. Rahman (Orthopaedics)',
    physicianContact: 'pager 4411',
    icd10: 'S32.401A',
    anatomicRegion: 'Pelvis',
    structures: ['Pelvis', 'Sacrum'],
    dateNeeded: '2026-03-20',
    priority: 'routine',
    deliverables: [],
    ...overrides,
  };
}

/** Freezes a case deeply so that any mutation by a rule throws (modules run in strict mode). */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}
