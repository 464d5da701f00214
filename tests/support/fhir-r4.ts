// A small offline FHIR R4 structure check for the resources Printpath exports,
// written from the R4 specification (hl7.org/fhir/R4): every element name must
// exist in R4 for its resource or data type, cardinalities (required elements,
// single vs repeating), primitive value formats (the spec's regular expressions
// for date, dateTime, instant, code, uri, base64Binary…), required bindings
// (status, gender, priority…), at most one choice-type variant, ele-1 (no empty
// values), att-1, per-1, bdl-7 (unique fullUrls), and every reference resolving
// to an entry of the Bundle, of a resource type R4 allows there. Code systems:
// ICD-10-CM and CPT codes are checked for their shape.
type Spec = { type: string; min?: number; many?: boolean; codes?: readonly string[]; targets?: readonly string[] };
type TypeDef = Record<string, Spec>;

const one = (type: string, extra: Partial<Spec> = {}): Spec => ({ type, ...extra });
const req = (type: string, extra: Partial<Spec> = {}): Spec => ({ type, min: 1, ...extra });
const many = (type: string, extra: Partial<Spec> = {}): Spec => ({ type, many: true, ...extra });
const some = (type: string, extra: Partial<Spec> = {}): Spec => ({ type, many: true, min: 1, ...extra });

const PRIMITIVE: Record<string, RegExp> = {
  string: /^[\s\S]+$/,
  markdown: /^[\s\S]+$/,
  id: /^[A-Za-z0-9\-.]{1,64}$/,
  uri: /^\S+$/,
  url: /^\S+$/,
  canonical: /^\S+$/,
  code: /^[^\s]+( [^\s]+)*$/,
  date: /^([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1]))?)?$/,
  dateTime:
    /^([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1])(T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00)))?)?)?$/,
  instant:
    /^([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)-(0[1-9]|1[0-2])-(0[1-9]|[1-2][0-9]|3[0-1])T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))$/,
  base64Binary: /^(\s*([0-9a-zA-Z+/=]){4}\s*)+$/,
};
const NUMERIC: Record<string, (n: number) => boolean> = {
  decimal: Number.isFinite,
  unsignedInt: (n) => Number.isInteger(n) && n >= 0,
  positiveInt: (n) => Number.isInteger(n) && n > 0,
  integer: Number.isInteger,
};

const RESOURCE: TypeDef = { id: one('id'), meta: one('Meta'), implicitRules: one('uri'), language: one('code') };
const DOMAIN: TypeDef = { ...RESOURCE, text: one('Narrative'), contained: many('Resource'), extension: many('Extension'), modifierExtension: many('Extension') };
const ELEMENT: TypeDef = { id: one('string'), extension: many('Extension') };
const BACKBONE: TypeDef = { ...ELEMENT, modifierExtension: many('Extension') };

const TYPES: Record<string, TypeDef> = {
  Meta: { ...ELEMENT, versionId: one('id'), lastUpdated: one('instant'), source: one('uri'), profile: many('canonical'), security: many('Coding'), tag: many('Coding') },
  Coding: { ...ELEMENT, system: one('uri'), version: one('string'), code: one('code'), display: one('string'), userSelected: one('boolean') },
  CodeableConcept: { ...ELEMENT, coding: many('Coding'), text: one('string') },
  Reference: { ...ELEMENT, reference: one('string'), type: one('uri'), identifier: one('Identifier'), display: one('string') },
  Identifier: {
    ...ELEMENT,
    use: one('code', { codes: ['usual', 'official', 'temp', 'secondary', 'old'] }),
    type: one('CodeableConcept'),
    system: one('uri'),
    value: one('string'),
    period: one('Period'),
    assigner: one('Reference', { targets: ['Organization'] }),
  },
  HumanName: { ...ELEMENT, use: one('code', { codes: ['usual', 'official', 'temp', 'nickname', 'anonymous', 'old', 'maiden'] }), text: one('string'), family: one('string'), given: many('string'), prefix: many('string'), suffix: many('string'), period: one('Period') },
  Annotation: { ...ELEMENT, authorReference: one('Reference'), authorString: one('string'), time: one('dateTime'), text: req('markdown') },
  Period: { ...ELEMENT, start: one('dateTime'), end: one('dateTime') },
  Quantity: { ...ELEMENT, value: one('decimal'), comparator: one('code', { codes: ['<', '<=', '>=', '>'] }), unit: one('string'), system: one('uri'), code: one('code') },
  Attachment: { ...ELEMENT, contentType: one('code'), language: one('code'), data: one('base64Binary'), url: one('url'), size: one('unsignedInt'), hash: one('base64Binary'), title: one('string'), creation: one('dateTime') },
  Signature: { ...ELEMENT, type: some('Coding'), when: req('instant'), who: req('Reference'), onBehalfOf: one('Reference'), targetFormat: one('code'), sigFormat: one('code'), data: one('base64Binary') },

  Bundle: {
    ...RESOURCE,
    identifier: one('Identifier'),
    type: req('code', { codes: ['document', 'message', 'transaction', 'transaction-response', 'batch', 'batch-response', 'history', 'searchset', 'collection'] }),
    timestamp: one('instant'),
    total: one('unsignedInt'),
    link: many('Bundle.link'),
    entry: many('Bundle.entry'),
    signature: one('Signature'),
  },
  'Bundle.link': { ...BACKBONE, relation: req('string'), url: req('uri') },
  'Bundle.entry': { ...BACKBONE, link: many('Bundle.link'), fullUrl: one('uri'), resource: one('Resource'), search: one('BackboneElement'), request: one('BackboneElement'), response: one('BackboneElement') },

  Patient: {
    ...DOMAIN,
    identifier: many('Identifier'),
    active: one('boolean'),
    name: many('HumanName'),
    telecom: many('ContactPoint'),
    gender: one('code', { codes: ['male', 'female', 'other', 'unknown'] }),
    birthDate: one('date'),
    deceasedBoolean: one('boolean'),
    deceasedDateTime: one('dateTime'),
    address: many('Address'),
    maritalStatus: one('CodeableConcept'),
    multipleBirthBoolean: one('boolean'),
    multipleBirthInteger: one('integer'),
    photo: many('Attachment'),
    contact: many('BackboneElement'),
    communication: many('BackboneElement'),
    generalPractitioner: many('Reference', { targets: ['Organization', 'Practitioner', 'PractitionerRole'] }),
    managingOrganization: one('Reference', { targets: ['Organization'] }),
    link: many('BackboneElement'),
  },

  ServiceRequest: {
    ...DOMAIN,
    identifier: many('Identifier'),
    instantiatesCanonical: many('canonical'),
    instantiatesUri: many('uri'),
    basedOn: many('Reference', { targets: ['CarePlan', 'ServiceRequest', 'MedicationRequest'] }),
    replaces: many('Reference', { targets: ['ServiceRequest'] }),
    requisition: one('Identifier'),
    status: req('code', { codes: ['draft', 'active', 'on-hold', 'revoked', 'completed', 'entered-in-error', 'unknown'] }),
    intent: req('code', { codes: ['proposal', 'plan', 'directive', 'order', 'original-order', 'reflex-order', 'filler-order', 'instance-order', 'option'] }),
    category: many('CodeableConcept'),
    priority: one('code', { codes: ['routine', 'urgent', 'asap', 'stat'] }),
    doNotPerform: one('boolean'),
    code: one('CodeableConcept'),
    orderDetail: many('CodeableConcept'),
    quantityQuantity: one('Quantity'),
    quantityRatio: one('Ratio'),
    quantityRange: one('Range'),
    subject: req('Reference', { targets: ['Patient', 'Group', 'Location', 'Device'] }),
    encounter: one('Reference', { targets: ['Encounter'] }),
    occurrenceDateTime: one('dateTime'),
    occurrencePeriod: one('Period'),
    occurrenceTiming: one('Timing'),
    asNeededBoolean: one('boolean'),
    asNeededCodeableConcept: one('CodeableConcept'),
    authoredOn: one('dateTime'),
    requester: one('Reference', { targets: ['Practitioner', 'PractitionerRole', 'Organization', 'Patient', 'RelatedPerson', 'Device'] }),
    performerType: one('CodeableConcept'),
    performer: many('Reference'),
    locationCode: many('CodeableConcept'),
    locationReference: many('Reference', { targets: ['Location'] }),
    reasonCode: many('CodeableConcept'),
    reasonReference: many('Reference'),
    insurance: many('Reference'),
    supportingInfo: many('Reference'),
    specimen: many('Reference', { targets: ['Specimen'] }),
    bodySite: many('CodeableConcept'),
    note: many('Annotation'),
    patientInstruction: one('string'),
    relevantHistory: many('Reference', { targets: ['Provenance'] }),
  },

  Procedure: {
    ...DOMAIN,
    identifier: many('Identifier'),
    instantiatesCanonical: many('canonical'),
    instantiatesUri: many('uri'),
    basedOn: many('Reference', { targets: ['CarePlan', 'ServiceRequest'] }),
    partOf: many('Reference', { targets: ['Procedure', 'Observation', 'MedicationAdministration'] }),
    status: req('code', { codes: ['preparation', 'in-progress', 'not-done', 'on-hold', 'stopped', 'completed', 'entered-in-error', 'unknown'] }),
    statusReason: one('CodeableConcept'),
    category: one('CodeableConcept'),
    code: one('CodeableConcept'),
    subject: req('Reference', { targets: ['Patient', 'Group'] }),
    encounter: one('Reference', { targets: ['Encounter'] }),
    performedDateTime: one('dateTime'),
    performedPeriod: one('Period'),
    performedString: one('string'),
    performedAge: one('Quantity'),
    performedRange: one('Range'),
    recorder: one('Reference'),
    asserter: one('Reference'),
    performer: many('Procedure.performer'),
    location: one('Reference', { targets: ['Location'] }),
    reasonCode: many('CodeableConcept'),
    reasonReference: many('Reference'),
    bodySite: many('CodeableConcept'),
    outcome: one('CodeableConcept'),
    report: many('Reference'),
    complication: many('CodeableConcept'),
    complicationDetail: many('Reference', { targets: ['Condition'] }),
    followUp: many('CodeableConcept'),
    note: many('Annotation'),
    focalDevice: many('BackboneElement'),
    usedReference: many('Reference'),
    usedCode: many('CodeableConcept'),
  },
  'Procedure.performer': { ...BACKBONE, function: one('CodeableConcept'), actor: req('Reference', { targets: ['Practitioner', 'PractitionerRole', 'Organization', 'Patient', 'RelatedPerson', 'Device'] }), onBehalfOf: one('Reference', { targets: ['Organization'] }) },

  Provenance: {
    ...DOMAIN,
    target: some('Reference'),
    occurredPeriod: one('Period'),
    occurredDateTime: one('dateTime'),
    recorded: req('instant'),
    policy: many('uri'),
    location: one('Reference', { targets: ['Location'] }),
    reason: many('CodeableConcept'),
    activity: one('CodeableConcept'),
    agent: some('Provenance.agent'),
    entity: many('Provenance.entity'),
    signature: many('Signature'),
  },
  'Provenance.agent': { ...BACKBONE, type: one('CodeableConcept'), role: many('CodeableConcept'), who: req('Reference', { targets: ['Practitioner', 'PractitionerRole', 'RelatedPerson', 'Patient', 'Device', 'Organization'] }), onBehalfOf: one('Reference') },
  'Provenance.entity': { ...BACKBONE, role: req('code', { codes: ['derivation', 'revision', 'quotation', 'source', 'removal'] }), what: req('Reference'), agent: many('Provenance.agent') },

  ChargeItem: {
    ...DOMAIN,
    identifier: many('Identifier'),
    definitionUri: many('uri'),
    definitionCanonical: many('canonical'),
    status: req('code', { codes: ['planned', 'billable', 'not-billable', 'aborted', 'billed', 'entered-in-error', 'unknown'] }),
    partOf: many('Reference', { targets: ['ChargeItem'] }),
    code: req('CodeableConcept'),
    subject: req('Reference', { targets: ['Patient', 'Group'] }),
    context: one('Reference', { targets: ['Encounter', 'EpisodeOfCare'] }),
    occurrenceDateTime: one('dateTime'),
    occurrencePeriod: one('Period'),
    occurrenceTiming: one('Timing'),
    performer: many('BackboneElement'),
    performingOrganization: one('Reference', { targets: ['Organization'] }),
    requestingOrganization: one('Reference', { targets: ['Organization'] }),
    costCenter: one('Reference', { targets: ['Organization'] }),
    quantity: one('Quantity'),
    bodysite: many('CodeableConcept'),
    factorOverride: one('decimal'),
    priceOverride: one('Money'),
    overrideReason: one('string'),
    enterer: one('Reference'),
    enteredDate: one('dateTime'),
    reason: many('CodeableConcept'),
    service: many('Reference', { targets: ['DiagnosticReport', 'ImagingStudy', 'Immunization', 'MedicationAdministration', 'MedicationDispense', 'Observation', 'Procedure', 'SupplyDelivery'] }),
    productReference: one('Reference'),
    productCodeableConcept: one('CodeableConcept'),
    account: many('Reference', { targets: ['Account'] }),
    note: many('Annotation'),
    supportingInformation: many('Reference'),
  },

  DocumentReference: {
    ...DOMAIN,
    masterIdentifier: one('Identifier'),
    identifier: many('Identifier'),
    status: req('code', { codes: ['current', 'superseded', 'entered-in-error'] }),
    docStatus: one('code', { codes: ['preliminary', 'final', 'amended', 'entered-in-error'] }),
    type: one('CodeableConcept'),
    category: many('CodeableConcept'),
    subject: one('Reference', { targets: ['Patient', 'Practitioner', 'Group', 'Device'] }),
    date: one('instant'),
    author: many('Reference'),
    authenticator: one('Reference'),
    custodian: one('Reference', { targets: ['Organization'] }),
    relatesTo: many('BackboneElement'),
    description: one('string'),
    securityLabel: many('CodeableConcept'),
    content: some('DocumentReference.content'),
    context: one('DocumentReference.context'),
  },
  'DocumentReference.content': { ...BACKBONE, attachment: req('Attachment'), format: one('Coding') },
  'DocumentReference.context': { ...BACKBONE, encounter: many('Reference'), event: many('CodeableConcept'), period: one('Period'), facilityType: one('CodeableConcept'), practiceSetting: one('CodeableConcept'), sourcePatientInfo: one('Reference', { targets: ['Patient'] }), related: many('Reference') },
};

/** Choice elements ([x]): at most one variant may be present. */
const CHOICES: Record<string, string[][]> = {
  Patient: [['deceasedBoolean', 'deceasedDateTime'], ['multipleBirthBoolean', 'multipleBirthInteger']],
  ServiceRequest: [['occurrenceDateTime', 'occurrencePeriod', 'occurrenceTiming'], ['quantityQuantity', 'quantityRatio', 'quantityRange'], ['asNeededBoolean', 'asNeededCodeableConcept']],
  Procedure: [['performedDateTime', 'performedPeriod', 'performedString', 'performedAge', 'performedRange']],
  Provenance: [['occurredPeriod', 'occurredDateTime']],
  ChargeItem: [['occurrenceDateTime', 'occurrencePeriod', 'occurrenceTiming'], ['productReference', 'productCodeableConcept']],
  Annotation: [['authorReference', 'authorString']],
};

/** Code systems whose codes are checked for shape. */
const CODE_SHAPES: Record<string, RegExp> = {
  'http://hl7.org/fhir/sid/icd-10-cm': /^[A-TV-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$/,
  'http://www.ama-assn.org/go/cpt': /^[0-9]{4}[0-9FTU]$/,
  'http://terminology.hl7.org/CodeSystem/v2-0203': /^[A-Z]{2,4}$/,
  'http://terminology.hl7.org/CodeSystem/provenance-participant-type': /^(enterer|performer|author|verifier|legal|attester|informant|custodian|assembler|composer)$/,
  'http://terminology.hl7.org/CodeSystem/v3-Confidentiality': /^(U|L|M|N|R|V)$/,
};

const UUID_URN = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type Ctx = { errors: string[]; byUrl: Map<string, string> };

function checkValue(value: unknown, spec: Spec, path: string, ctx: Ctx): void {
  const { type } = spec;
  if (type in PRIMITIVE) {
    if (typeof value !== 'string') return void ctx.errors.push(`${path}: ${type} must be a JSON string`);
    if (!PRIMITIVE[type]!.test(value)) ctx.errors.push(`${path}: “${value}” is not a valid ${type}`);
    if (type !== 'markdown' && type !== 'string' && value !== value.trim()) ctx.errors.push(`${path}: leading or trailing whitespace`);
    if (spec.codes && !spec.codes.includes(value)) ctx.errors.push(`${path}: “${value}” is not in the required value set (${spec.codes.join(' | ')})`);
    return;
  }
  if (type in NUMERIC) {
    if (typeof value !== 'number' || !NUMERIC[type]!(value)) ctx.errors.push(`${path}: ${JSON.stringify(value)} is not a valid ${type}`);
    return;
  }
  if (type === 'boolean') {
    if (typeof value !== 'boolean') ctx.errors.push(`${path}: must be true or false`);
    return;
  }
  if (type === 'Resource') return checkResource(value, path, ctx);
  const def = TYPES[type];
  if (!def) return void ctx.errors.push(`${path}: this check does not know type ${type} (extend tests/support/fhir-r4.ts)`);
  checkObject(value, type, def, path, ctx);
  if (type === 'Reference') checkReference(value as Record<string, unknown>, spec, path, ctx);
}

function checkObject(value: unknown, type: string, def: TypeDef, path: string, ctx: Ctx): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return void ctx.errors.push(`${path}: ${type} must be a JSON object`);
  const obj = value as Record<string, unknown>;
  if (Object.keys(obj).filter((k) => k !== 'resourceType').length === 0) ctx.errors.push(`${path}: ele-1: an element must have a value or children`);
  for (const key of Object.keys(obj)) {
    if (key === 'resourceType') continue;
    const spec = def[key];
    if (!spec) {
      ctx.errors.push(`${path}.${key}: not an element of R4 ${type}`);
      continue;
    }
    const v = obj[key];
    if (spec.many) {
      if (!Array.isArray(v)) ctx.errors.push(`${path}.${key}: must be an array (0..*)`);
      else if (v.length === 0) ctx.errors.push(`${path}.${key}: an empty array is not allowed`);
      else v.forEach((x, i) => checkValue(x, spec, `${path}.${key}[${i}]`, ctx));
    } else {
      if (Array.isArray(v)) ctx.errors.push(`${path}.${key}: must be a single value (0..1)`);
      else if (v === null || v === '') ctx.errors.push(`${path}.${key}: empty value`);
      else checkValue(v, spec, `${path}.${key}`, ctx);
    }
  }
  for (const [key, spec] of Object.entries(def)) if (spec.min && obj[key] === undefined) ctx.errors.push(`${path}.${key}: required (min 1) but missing`);
  for (const group of CHOICES[type] ?? []) if (group.filter((k) => obj[k] !== undefined).length > 1) ctx.errors.push(`${path}: more than one of ${group.join(', ')}`);
  if (type === 'Coding') {
    const shape = CODE_SHAPES[obj.system as string];
    if (shape && typeof obj.code === 'string' && !shape.test(obj.code)) ctx.errors.push(`${path}.code: “${obj.code}” is not a code of ${obj.system as string}`);
  }
  if (type === 'Attachment' && obj.data !== undefined && obj.contentType === undefined) ctx.errors.push(`${path}: att-1: data needs a contentType`);
  if (type === 'Period' && typeof obj.start === 'string' && typeof obj.end === 'string' && periodEnd(obj.end) < obj.start) ctx.errors.push(`${path}: per-1: start is after end`);
}

/** A partial date covers its whole day/month/year: compare with its last instant. */
const periodEnd = (end: string) => (end.length === 10 ? `${end}T23:59:59.999Z` : end.length === 7 ? `${end}-31T23:59:59.999Z` : end.length === 4 ? `${end}-12-31T23:59:59.999Z` : end);

function checkReference(ref: Record<string, unknown>, spec: Spec, path: string, ctx: Ctx): void {
  if (typeof ref.reference !== 'string') return;
  const target = ctx.byUrl.get(ref.reference);
  if (!target) return void ctx.errors.push(`${path}: reference ${ref.reference} does not resolve within the Bundle`);
  if (spec.targets && !spec.targets.includes(target)) ctx.errors.push(`${path}: refers to a ${target}; R4 allows ${spec.targets.join(' | ')} here`);
}

function checkResource(value: unknown, path: string, ctx: Ctx): void {
  const type = (value as { resourceType?: unknown } | null)?.resourceType;
  if (typeof type !== 'string') return void ctx.errors.push(`${path}: a resource needs a resourceType`);
  const def = TYPES[type];
  if (!def) return void ctx.errors.push(`${path}: ${type} is not a resource type this check knows`);
  checkObject(value, type, def, `${path}(${type})`, ctx);
}

/** Every problem found, as "path: what is wrong"; empty when the Bundle passes. */
export function validateR4Bundle(bundle: unknown): string[] {
  const ctx: Ctx = { errors: [], byUrl: new Map() };
  const b = bundle as { resourceType?: string; entry?: { fullUrl?: unknown; resource?: { resourceType?: unknown } }[] };
  if (b?.resourceType !== 'Bundle') return ['not a Bundle'];
  for (const [i, e] of (b.entry ?? []).entries()) {
    if (typeof e.fullUrl !== 'string') ctx.errors.push(`Bundle.entry[${i}]: fullUrl missing`);
    else if (!UUID_URN.test(e.fullUrl)) ctx.errors.push(`Bundle.entry[${i}].fullUrl: “${e.fullUrl}” is not a urn:uuid`);
    else if (ctx.byUrl.has(e.fullUrl)) ctx.errors.push(`Bundle.entry[${i}].fullUrl: bdl-7: ${e.fullUrl} is used twice`);
    else ctx.byUrl.set(e.fullUrl, String(e.resource?.resourceType));
    if (!e.resource) ctx.errors.push(`Bundle.entry[${i}]: a collection entry needs a resource`);
  }
  checkResource(bundle, 'Bundle', ctx);
  return ctx.errors;
}
