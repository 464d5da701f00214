// What both DICOM exports share: the warning before a file with patient data in the clear is
// saved, and saving the file made (or saying why none was).
import type { DicomExport, FiledWith } from '../domain/dicom-export';
import { downloadFile } from './download';

export type DicomState = { busy: boolean; error: string | null; done: FiledWith | null };
export const DICOM_IDLE: DicomState = { busy: false, error: null, done: null };

export function saveDicom(r: DicomExport): DicomState {
  if (!r.ok) return { busy: false, error: r.reason, done: null };
  downloadFile(new Blob(r.chunks as Uint8Array<ArrayBuffer>[], { type: 'application/dicom' }), 'application/dicom', r.fileName);
  return { busy: false, error: null, done: r.filedWith };
}

/** `holds`: what patient data the file carries, as the person should read it. */
export function DicomPhiWarning({ label, holds, onSave, onCancel }: { label: string; holds: string; onSave: () => void; onCancel: () => void }) {
  return (
    <div className="notice warn" role="group" aria-label={label}>
      <p>
        <strong>The DICOM file holds patient data in the clear</strong> ({holds}). It is not encrypted like the data on this tablet:
        save it only where PHI is allowed.
      </p>
      <div className="btn-row">
        <button type="button" className="btn primary" onClick={onSave}>Save DICOM file with patient data</button>
        <button type="button" className="btn" onClick={onCancel}>Cancel</button>
      </div>
    </div>
  );
}
