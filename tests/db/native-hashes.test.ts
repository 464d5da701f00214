// A restore hashes every entry with Web Crypto's SHA-256 instead of the JavaScript one:
// it must be exactly entryHash, and an entry that cannot be hashed must get no hash at all.
import { describe, expect, it } from 'vitest';
import { appendEntry, entryHash, type AuditEntry } from '../../src/domain/audit-chain';
import { caseHashNative, entryHashesHolding } from '../../src/db/native-hashes';
import { caseHash } from '../../src/domain/case-hash';
import { Lab } from '../support/case-builder';

const first = appendEntry(null, { chain: 'c-1', at: '2026-12-01T10:00:00.000Z', actorId: 'u1', actorName: 'Zoë Ørsted', kind: 'create', body: { summary: 'Größe 3 mm — ✓', n: [1, 2.5, null] } });
const second = appendEntry(first, { chain: 'c-1', at: '2026-12-01T10:01:00.000Z', actorId: 'u1', actorName: 'Zoë Ørsted', kind: 'saveStage', body: { v: 1, iv: 'aaaa', ct: 'bbbb' }, id: 'e-2', hlc: '1:0:dev', keyId: 'k' });

describe('entryHashesHolding', () => {
  it('gives each entry’s hash where it is entryHash of it, signed or not, with text outside ASCII', async () => {
    const changed = { ...second, actorName: 'Zoe Orsted' };
    const hashes = await entryHashesHolding([first, second, changed]);
    expect(hashes.get(first)).toBe(entryHash(first));
    expect(hashes.get(second)).toBe(entryHash(second));
    expect(hashes.get(second)).toBe(second.hash);
    expect(hashes.get(changed)).toBeNull();
  });

  it('an entry that cannot be hashed gets null, not a hash', async () => {
    const broken = { ...first, body: { n: Number.NaN } } as AuditEntry;
    expect((await entryHashesHolding([broken])).get(broken)).toBeNull();
  });
});

describe('caseHashNative', () => {
  it('is caseHash of the case, PHI and text outside ASCII included', async () => {
    const c = new Lab().build({ notes: 'Größe ✓ — Zoë' });
    expect(await caseHashNative(c)).toBe(caseHash(c));
    expect(await caseHashNative({ ...c, caseNumber: `${c.caseNumber}x` })).not.toBe(caseHash(c));
  });
});
