// What docs/security.md promises of sync's sealing and joining: an envelope opens only for
// its lab and event id; a lab key wrapped for one device's key opens for no other; the key
// code both screens show differs when the server swaps in its own key.
import { describe, expect, it } from 'vitest';
import { newDataKey } from '../../src/crypto/data-key';
import { openEnvelope, sealEnvelope } from '../../src/sync/envelope';
import { keyCode, newEnrolmentKeys, unwrapLabKeys, wrapLabKeys } from '../../src/sync/enrol-keys';
import { keyRing, ringOf } from '../../src/crypto/key-ring';

const LAB = '11111111-1111-4111-8111-111111111111';
const EVENT = '22222222-2222-4222-8222-222222222222';

describe('sealed events', () => {
  it('open with the lab key for their own lab and event id only', async () => {
    const key = ringOf(await newDataKey());
    const sealed = await sealEnvelope({ type: 'setting', key: 'codeTable', value: { x: 1 } }, key.key, LAB, EVENT);
    expect(await openEnvelope(sealed, key, LAB, EVENT)).toEqual({ type: 'setting', key: 'codeTable', value: { x: 1 } });
    await expect(openEnvelope(sealed, key, LAB, '33333333-3333-4333-8333-333333333333')).rejects.toThrow();
    await expect(openEnvelope(sealed, key, '44444444-4444-4444-8444-444444444444', EVENT)).rejects.toThrow();
    await expect(openEnvelope(sealed, ringOf(await newDataKey()), LAB, EVENT)).rejects.toThrow();
  });
});

describe('the lab key on its way to a joining device', () => {
  it('opens only with the joining device’s own key, for that lab and enrolment; a swapped key shows another key code', async () => {
    const device = await newEnrolmentKeys();
    const server = await newEnrolmentKeys();
    const ring = keyRing([['1', await newDataKey()], ['2-abcd', await newDataKey()]]);
    const blob = await wrapLabKeys(ring, device.publicKey, LAB, EVENT);
    const opened = await unwrapLabKeys(blob, device, LAB, EVENT);
    expect([...opened.keys.keys()].sort()).toEqual(['1', '2-abcd']);
    expect(opened.epoch).toBe('2-abcd');
    for (const [epoch, key] of ring.keys) {
      const probe = await sealEnvelope({ type: 'setting', key: 'k', value: epoch }, key, LAB, EVENT);
      expect(await openEnvelope(probe, keyRing([[epoch, opened.keys.get(epoch)!]]), LAB, EVENT)).toMatchObject({ value: epoch });
    }
    await expect(unwrapLabKeys(blob, server, LAB, EVENT)).rejects.toThrow();
    await expect(unwrapLabKeys(blob, device, LAB, '55555555-5555-4555-8555-555555555555')).rejects.toThrow();
    expect(await keyCode(device.publicKey)).toMatch(/^[0-9A-F]{4} [0-9A-F]{4} [0-9A-F]{4}$/);
    expect(await keyCode(server.publicKey)).not.toBe(await keyCode(device.publicKey));
  });
});
