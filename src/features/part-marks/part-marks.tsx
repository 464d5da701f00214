// The text to mark on each printed part or its bag (design-versions.ts partMark): the MRN,
// the case number and the design version, never the patient's name. The MRN is patient
// data: it is shown here and copied on request, never put in a URL or a log.
import { useId, useState } from 'react';
import type { Case } from '../../domain/case';
import { designVersion, partMark } from '../../domain/design-versions';
import { isPrinted, signatureIsValid } from '../../domain/workflow';
import { Notice } from '../../ui/notice';

type Copied = { name: string; ok: boolean } | null;

export function PartMarks({ caseData }: { caseData: Case }) {
  const titleId = useId();
  const [copied, setCopied] = useState<Copied>(null);
  const parts = caseData.deliverables.filter(isPrinted);
  if (parts.length === 0) return null;
  const signed = signatureIsValid(caseData, 'segmenting');

  async function copy(name: string, text: string) {
    try {
      await navigator.clipboard.writeText(text);
      setCopied({ name, ok: true });
    } catch {
      setCopied({ name, ok: false });
    }
  }

  return (
    <section className="card part-marks" aria-labelledby={titleId}>
      <h2 id={titleId}>Marks for the parts</h2>
      <p className="muted">Mark each part, or its bag, with this text: patient identifier, case number and design version. No patient name on the part.</p>
      {!signed && <Notice tone="warn">The segmentation sign-off does not cover the files as they are: mark the parts once a radiologist has signed this version.</Notice>}
      <ul className="part-mark-list">
        {parts.map((d) => {
          const mark = partMark(caseData, d);
          return (
            <li key={d.id}>
              <div>
                <strong>{d.name}</strong>
                <div className="mark-text" aria-label={`Mark for ${d.name}`}>{mark}</div>
                {designVersion(caseData, d) === null && <div className="muted">No file attached: the mark has no design version.</div>}
              </div>
              <button type="button" className="btn" onClick={() => void copy(d.name, mark)}>Copy mark for {d.name}</button>
            </li>
          );
        })}
      </ul>
      {copied && (copied.ok
        ? <Notice tone="ok">Copied the mark for {copied.name}.</Notice>
        : <Notice tone="warn">Could not copy the mark for {copied.name} on this device: select the text and copy it.</Notice>)}
    </section>
  );
}
