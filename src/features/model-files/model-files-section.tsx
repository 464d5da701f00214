// The model and guide files of a case, per deliverable: attached at segmenting,
// replaced there or at printing (a repaired mesh), each with its 3D view. Every file's
// name, size and SHA-256 are part of the segmentation sign-off, so a replaced file voids it.
import { useId, useState, type ChangeEvent } from 'react';
import type { Actor, Case, Deliverable } from '../../domain/case';
import { fileVersion, fileVersionText, versionLabel } from '../../domain/design-versions';
import { filesOf, type FileStage, type ModelFileRef } from '../../domain/model-files';
import { useAttachModelFile } from '../../queries/model-file-queries';
import { errorMessage, formatDateTime } from '../../ui/format';
import { Notice } from '../../ui/notice';
import { ExportModelDicom } from './export-model-dicom';
import { ModelViewer } from './model-viewer';

type Props = { caseData: Case; actor: Actor | null; stage: FileStage };

const ACCEPT = '.stl,.obj,model/stl,model/obj';

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

const kindLabel = (d: Deliverable) => (d.kind === 'model' ? 'anatomic model' : `${d.guideType} guide`);

export function ModelFilesSection({ caseData, actor, stage }: Props) {
  const titleId = useId();
  const attach = useAttachModelFile(caseData.id);
  const [done, setDone] = useState<string | null>(null);
  const [working, setWorking] = useState<string | null>(null);
  const locked = caseData.closed ? 'closed' : caseData.cancelled ? 'cancelled' : null;
  const signed = caseData.stages.segmenting.signature !== null;
  const canChange = !locked && actor !== null && !attach.isPending;

  async function onFile(e: ChangeEvent<HTMLInputElement>, d: Deliverable, replaces?: ModelFileRef) {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    setDone(null);
    setWorking(`Sealing and saving ${file.name} (${formatBytes(file.size)})…`);
    try {
      const after = await attach.mutateAsync({ deliverableId: d.id, stage, file, ...(replaces ? { replaces: replaces.id } : {}) });
      const voided = caseData.stages.segmenting.signature !== null && after.stages.segmenting.signature === null;
      const added = filesOf(after).find((f) => f.deliverableId === d.id && !filesOf(caseData).some((o) => o.id === f.id));
      const version = replaces && added ? ` It is ${versionLabel(fileVersion(added))}.` : '';
      setDone(`${file.name} ${replaces ? `replaced ${replaces.name}` : 'attached'} on ${d.name}.${version}${voided ? ' The segmentation sign-off was voided: a radiologist must sign it again.' : ''}`);
    } catch {
      // shown below from attach.error
    } finally {
      setWorking(null);
    }
  }

  return (
    <section className="card model-files" aria-labelledby={titleId}>
      <h2 id={titleId}>Model and guide files</h2>
      <p className={signed ? 'notice warn' : 'muted'}>
        {signed
          ? `Segmentation is signed off, files included. Replacing a file${stage === 'printing' ? ' (even a repaired mesh)' : ''} voids that signature, and a radiologist must sign it again.`
          : 'STL (binary or ASCII) or OBJ, one or more per model or guide. Each file’s name, size and SHA-256 are part of the segmentation sign-off.'}
        {' '}A replacement is the file’s next version (v1, v2…); a send-back opens a new version of each file.
      </p>
      {locked && <p className="notice">This case is {locked}: its files can no longer be changed.</p>}
      {!actor && !locked && <Notice tone="warn">Choose who is using this tablet to attach files.</Notice>}
      {caseData.deliverables.length === 0 && <p className="muted">Add a model or guide first (Order tab).</p>}
      {caseData.deliverables.map((d) => {
        const files = filesOf(caseData).filter((f) => f.deliverableId === d.id);
        return (
          <div key={d.id} className="model-file-slot">
            <h3>{d.name} <span className="muted">({kindLabel(d)})</span></h3>
            {files.length === 0 && <p className="muted">No file attached.</p>}
            <ul className="model-file-list">
              {files.map((f) => (
                <li key={f.id}>
                  <div>
                    <strong>{f.name}</strong> · <span aria-label={`Version of ${f.name}`}>{fileVersionText(f)}</span> · {formatBytes(f.size)} · {f.format.toUpperCase()}
                    <div className="muted hash">SHA-256 {f.sha256.slice(0, 16)}… · attached at {f.stage} by {f.attachedBy}, {formatDateTime(f.attachedAt)}</div>
                  </div>
                  <ModelViewer file={f} deliverable={d} />
                  <ExportModelDicom caseData={caseData} file={f} />
                  {canChange && (
                    <div className="field file-field">
                      <label htmlFor={`replace-${f.id}`}>{stage === 'printing' ? `Replace ${f.name} with a repaired mesh` : `Replace ${f.name}`}</label>
                      <input id={`replace-${f.id}`} type="file" accept={ACCEPT} onChange={(e) => void onFile(e, d, f)} />
                    </div>
                  )}
                </li>
              ))}
            </ul>
            {canChange && stage === 'segmenting' && (
              <div className="field file-field">
                <label htmlFor={`attach-${d.id}`}>Attach a file to {d.name}</label>
                <input id={`attach-${d.id}`} type="file" accept={ACCEPT} onChange={(e) => void onFile(e, d)} />
              </div>
            )}
          </div>
        );
      })}
      {working && <p role="status">{working}</p>}
      {attach.error && <Notice tone="bad" title="Not saved.">{' '}{errorMessage(attach.error)}</Notice>}
      {done && !attach.error && <Notice tone="ok">{done}</Notice>}
    </section>
  );
}
