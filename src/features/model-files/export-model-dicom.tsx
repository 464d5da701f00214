// One STL file as a DICOM object (Encapsulated STL) for the hospital's PACS, filed with the
// imaging study the lab recorded. The DICOM code and the file's bytes load only when asked for.
import { useState } from 'react';
import type { Case } from '../../domain/case';
import type { FiledWith } from '../../domain/dicom-export';
import type { ModelFileRef } from '../../domain/model-files';
import { dicomEquipment } from '../../queries/dicom-equipment';
import { readModelFileBytes } from '../../queries/model-file-queries';
import { DICOM_IDLE, DicomPhiWarning, saveDicom, type DicomState } from '../../ui/dicom-save';
import { errorMessage } from '../../ui/format';

type Props = { caseData: Case; file: ModelFileRef };

const FILED_WITH: Record<FiledWith, string> = {
  'imaging-study': 'It files with the imaging study recorded at imaging.',
  'case-study': 'No study instance UID is recorded at imaging: it files in a study of this case’s own.',
};

export function ExportModelDicom({ caseData, file }: Props) {
  const [state, setState] = useState<DicomState>(DICOM_IDLE);
  const [confirming, setConfirming] = useState(false);
  if (file.format !== 'stl') return <p className="muted">DICOM export is for STL files (Encapsulated STL); this file is {file.format.toUpperCase()}.</p>;

  const exportDicom = async () => {
    setConfirming(false);
    setState({ busy: true, error: null, done: null });
    try {
      const [{ encapsulatedStl }, read, equipment] = await Promise.all([import('../../domain/dicom-export'), readModelFileBytes(file), dicomEquipment()]);
      if (read.state === 'arriving') {
        setState({ busy: false, error: `${file.name} is still arriving on this device (${read.have} of ${read.of} parts).`, done: null });
        return;
      }
      const r = encapsulatedStl(caseData, file, read.bytes, { now: new Date().toISOString(), newUuid: () => crypto.randomUUID(), equipment });
      setState(saveDicom(r));
    } catch (e) {
      setState({ busy: false, error: errorMessage(e), done: null });
    }
  };

  return (
    <div className="model-file-dicom">
      {confirming ? (
        <DicomPhiWarning label={`Patient data in the DICOM file of ${file.name}`} holds="name, MRN, date of birth" onSave={() => void exportDicom()} onCancel={() => setConfirming(false)} />
      ) : (
        <div className="btn-row">
          <button type="button" className="btn" onClick={() => setConfirming(true)} disabled={state.busy}>
            {state.busy ? 'Making the DICOM file…' : `Export ${file.name} as DICOM`}
          </button>
          {state.done && <span className="badge ok" role="status">DICOM file downloaded</span>}
        </div>
      )}
      {state.done && <p className="muted">{FILED_WITH[state.done]}</p>}
      {state.error && <p className="field-error" role="alert">Could not make the DICOM file: {state.error}</p>}
    </div>
  );
}
