// The id an audit entry travels under: its own id (format 2), or for an entry made
// before the signed log a UUID derived from its hash, so every device names it alike.
import type { AuditEntry } from './audit-chain';

export function entryEventId(e: Pick<AuditEntry, 'id' | 'hash'>): string {
  if (e.id) return e.id;
  const h = e.hash;
  // UUID version 8 (custom), variant 10: the form the server accepts.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
