import { beforeEach, describe, expect, it } from 'vitest';
import { db } from '../../src/db/database';
import { SYNC_STATE } from '../../src/db/sync-state';
import { dicomEquipment, STANDALONE_DEVICE } from '../../src/queries/dicom-equipment';
import { resetDatabase } from '../support/render-app';

describe('the equipment a DICOM export names', () => {
  beforeEach(async () => {
    await resetDatabase();
  });

  it('a tablet not connected to a lab server: the app’s version, and “standalone tablet”', async () => {
    expect(await dicomEquipment()).toEqual({ softwareVersion: __APP_VERSION__, deviceSerial: STANDALONE_DEVICE });
  });

  it('a connected tablet: its device id at the lab server', async () => {
    await db.settings.put({ key: SYNC_STATE, value: { labId: 'lab-1', deviceId: 'device-7f3a', deviceName: 'OR tablet', credential: 'secret', cursor: 0, deviceSeq: 0, lastSyncedAt: null, pushed: {} } });
    expect(await dicomEquipment()).toEqual({ softwareVersion: __APP_VERSION__, deviceSerial: 'device-7f3a' });
  });
});
