import { describe, expect, it } from 'vitest';
import type { FieldChange } from '../../src/domain/case';
import type { Command } from '../../src/domain/commands';
import { asCaseId, asEventId, asUserId } from '../../src/domain/ids';
import { overlaps, touched, type RecordedChange } from '../../src/domain/merge';

const change = (command: Command | null, changes: FieldChange[]): RecordedChange => ({
  command,
  event: { id: asEventId('e'), caseId: asCaseId('c'), at: '2026-12-06T10:00:00.000Z', actorId: asUserId('u'), actorName: 'Tom Tech', type: command?.type ?? 'editOrder', summary: '', changes },
});
const field = (name: string): FieldChange => ({ field: name, before: 'a', after: 'b' });

describe('whether a change made while apart can be made again without a person', () => {
  it('different fields of one stage, or the order and a stage: no overlap', () => {
    const mine = change({ type: 'saveStage', stage: 'imaging', values: {} }, [field('Accession number')]);
    expect(overlaps(mine, [change({ type: 'saveStage', stage: 'imaging', values: {} }, [field('Slice thickness')])])).toBe(false);
    expect(overlaps(mine, [change({ type: 'editOrder', input: {} as never }, [field('notes')])])).toBe(false);
    expect(overlaps(mine, [change({ type: 'tick', stage: 'imaging', item: 'studyRetrieved', done: true }, [field('Study retrieved from PACS')])])).toBe(false);
  });

  it('the same field, the same checklist item: overlap', () => {
    const mine = change({ type: 'saveStage', stage: 'imaging', values: {} }, [field('Accession number'), field('Modality')]);
    expect(overlaps(mine, [change({ type: 'saveStage', stage: 'imaging', values: {} }, [field('Modality')])])).toBe(true);
    const tick = change({ type: 'tick', stage: 'printing', item: 'labelled', done: true }, [field('Labelled with case number')]);
    expect(overlaps(tick, [change({ type: 'tick', stage: 'printing', item: 'labelled', done: false }, [field('Labelled with case number')])])).toBe(true);
  });

  it('a field of the same name in another stage is another field', () => {
    expect(overlaps(change({ type: 'saveStage', stage: 'imaging', values: {} }, [field('Notes')]), [change({ type: 'saveStage', stage: 'printing', values: {} }, [field('Notes')])])).toBe(false);
  });

  it('what cannot be told field by field counts as touching everything: a cancel, models changed, a signature, an entry without its command', () => {
    const mine = change({ type: 'saveStage', stage: 'imaging', values: {} }, [field('Accession number')]);
    expect(overlaps(mine, [change({ type: 'cancel', reason: 'x' }, [])])).toBe(true);
    expect(overlaps(mine, [change({ type: 'setDeliverables', deliverables: [] }, [field('deliverables')])])).toBe(true);
    expect(overlaps(mine, [change({ type: 'sign', stage: 'imaging' }, [])])).toBe(true);
    expect(overlaps(mine, [change(null, [field('Slice thickness')])])).toBe(true);
    expect(touched(change({ type: 'sign', stage: 'imaging' }, []))).toBeNull();
    expect(overlaps(change({ type: 'cancel', reason: 'x' }, []), [])).toBe(true);
  });
});
