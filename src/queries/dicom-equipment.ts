// Which software and device made a DICOM export (the Equipment modules): the app's version,
// and this device's id at the lab server. Read when an export is made, not with the page.
import type { DicomExportContext } from '../domain/dicom-export';

/** The Device Serial Number of a tablet that is not connected to a lab server (it has no device id). */
export const STANDALONE_DEVICE = 'standalone tablet';

export async function dicomEquipment(): Promise<DicomExportContext['equipment']> {
  const { readSyncState } = await import('../db/sync-state');
  const sync = await readSyncState();
  return { softwareVersion: __APP_VERSION__, deviceSerial: sync?.deviceId ?? STANDALONE_DEVICE };
}
