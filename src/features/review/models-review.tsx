import type { ReactNode } from 'react';
import type { Case, Deliverable } from '../../domain/case';
import { designVersion, fileVersionText } from '../../domain/design-versions';
import { filesOf } from '../../domain/model-file-refs';
import { stageDef } from '../../domain/stages';
import type { StageId } from '../../domain/case';

type Props = {
  caseData: Case;
  stage: StageId;
  /**
   * The slot for each deliverable's model files in 3D (rotate, zoom, per-component colour):
   * the model-files work plugs its viewer in here, loaded on demand. Nothing renders without it.
   */
  renderModelView?: (d: Deliverable) => ReactNode;
};

/** The models (with their components) and guides, and whether this stage's signature covers them. */
export function ModelsReview({ caseData, stage, renderModelView }: Props) {
  const covered = stageDef(stage).signatureCoversDeliverables;
  return (
    <section className="card" aria-labelledby="review-models-title">
      <h2 id="review-models-title">Models, components and guides</h2>
      <p className="muted">{covered ? 'Part of what this signature covers: any change to them voids it.' : 'For reference: this stage’s signature does not cover them.'}</p>
      {caseData.deliverables.length === 0 && <p>No model or guide recorded.</p>}
      {caseData.deliverables.map((d) => (
        <article key={d.id} className="card" aria-label={d.name}>
          <h3>{d.name} <span className="muted">({d.kind === 'model' ? `anatomic model, ${d.copies} cop${d.copies === 1 ? 'y' : 'ies'}` : `${d.guideType} guide`})</span></h3>
          {d.kind === 'model' ? (
            <table className="record-table" aria-label={`Components of ${d.name}`}>
              <thead><tr><th scope="col">Component (structure)</th><th scope="col">Colour · material</th></tr></thead>
              <tbody>
                {d.components.map((p) => (
                  <tr key={p.id}><td>{p.structure}</td><td>{p.colour || '—'} · {p.material || <span className="muted">no material yet</span>}</td></tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p>Material: {d.material || <span className="muted">not chosen yet</span>}</p>
          )}
          <FileVersions caseData={caseData} deliverable={d} />
          {renderModelView && <div className="model-view-slot">{renderModelView(d)}</div>}
        </article>
      ))}
    </section>
  );
}

/** Which version of each file is up for signature: the version a sign-off names. */
function FileVersions({ caseData, deliverable }: { caseData: Case; deliverable: Deliverable }) {
  const files = filesOf(caseData).filter((f) => f.deliverableId === deliverable.id);
  const version = designVersion(caseData, deliverable);
  if (!version) return null;
  return (
    <div>
      <p>Design version: <strong>{version}</strong></p>
      <ul aria-label={`Files of ${deliverable.name}`}>
        {files.map((f) => <li key={f.id}>{f.name}: {fileVersionText(f)}</li>)}
      </ul>
    </div>
  );
}
