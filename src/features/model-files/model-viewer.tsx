// One model or guide file as a reviewer sees it: whether it is on this device, and on
// request its 3D view. Self-contained (a file reference and its deliverable in), so the
// stage page and the review screen can both show it. The 3D code (three.js) loads only
// when a view is opened.
import { lazy, Suspense, useState } from 'react';
import type { Deliverable } from '../../domain/case';
import type { ModelFileRef } from '../../domain/model-files';
import { useFileAvailability } from '../../queries/model-file-queries';
import { Notice } from '../../ui/notice';

const MeshView = lazy(() => import('./mesh-view').then((m) => ({ default: m.MeshView })));

type Props = { file: ModelFileRef; deliverable: Deliverable | undefined };

export function ModelViewer({ file, deliverable }: Props) {
  const availability = useFileAvailability(file);
  const [open, setOpen] = useState(false);
  if (availability.isPending) return <p role="status" className="muted">Checking the file on this device…</p>;
  if (availability.error) return <Notice tone="bad" title="The file cannot be read on this device.">{' '}{availability.error.message}</Notice>;
  if (availability.data.state === 'arriving') {
    const { have, of, problem } = availability.data;
    return (
      <Notice tone="warn" title={`${file.name} is still arriving on this device.`}>
        {' '}{have} of {of} parts received. The 3D view opens once the whole file is here.
        {problem ? ` ${problem} It is fetched again at the next sign-in.` : ''}
      </Notice>
    );
  }
  if (!open) {
    return (
      <div className="btn-row">
        <button type="button" className="btn" onClick={() => setOpen(true)}>View {file.name} in 3D</button>
      </div>
    );
  }
  return (
    <Suspense fallback={<p role="status">Loading the 3D viewer…</p>}>
      <MeshView file={file} deliverable={deliverable} onClose={() => setOpen(false)} />
    </Suspense>
  );
}
