import { ENCOUNTER_LABELS, type Encounter, type GuideType, type Priority, type Sex } from '../../domain/case';

type Option<V extends string> = { value: V; label: string };

export const SEX_OPTIONS: readonly Option<Sex>[] = [
  { value: 'female', label: 'Female' },
  { value: 'male', label: 'Male' },
  { value: 'other', label: 'Other' },
  { value: 'unknown', label: 'Unknown' },
];

export const ENCOUNTER_OPTIONS: readonly Option<Encounter>[] = Object.entries(ENCOUNTER_LABELS).map(([value, label]) => ({ value: value as Encounter, label }));

export const PRIORITY_OPTIONS: readonly Option<Priority>[] = [
  { value: 'routine', label: 'Routine' },
  { value: 'urgent', label: 'Urgent' },
  { value: 'emergent', label: 'Emergent' },
];

export const GUIDE_TYPE_OPTIONS: readonly Option<GuideType>[] = [
  { value: 'cutting', label: 'Cutting guide' },
  { value: 'drilling', label: 'Drilling guide' },
];

export const labelOf = (options: readonly Option<string>[], value: string) => options.find((o) => o.value === value)?.label ?? value;
