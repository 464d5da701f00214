// Branded ids: a CaseId cannot be passed where a UserId is expected.
declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

export type CaseId = Brand<string, 'CaseId'>;
export type UserId = Brand<string, 'UserId'>;
export type DeliverableId = Brand<string, 'DeliverableId'>;
export type EventId = Brand<string, 'EventId'>;

export const asCaseId = (s: string) => s as CaseId;
export const asUserId = (s: string) => s as UserId;
export const asDeliverableId = (s: string) => s as DeliverableId;
export const asEventId = (s: string) => s as EventId;
