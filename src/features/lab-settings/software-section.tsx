import { softwareName, type SoftwareEntry } from '../../domain/traceability';
import { useDeleteSoftware, useLabListUsage, useSetSoftwareRetired, useSoftware } from '../../queries/lab-settings-queries';
import { EntryList } from './entry-list';
import { SoftwareForm } from './software-form';

export function SoftwareSection() {
  const software = useSoftware();
  const usage = useLabListUsage();
  const retire = useSetSoftwareRetired();
  const remove = useDeleteSoftware();
  return (
    <section className="card" aria-labelledby="software-title">
      <h2 id="software-title">Software</h2>
      <p className="muted">The segmentation and design software that makes printed parts, each version by itself, and whether it is FDA-cleared for this use.</p>
      <EntryList<SoftwareEntry>
        rows={software.data}
        usage={usage.data?.software}
        nameOf={softwareName}
        details={(s) => (s.fdaCleared ? 'FDA-cleared for this use' : 'Not FDA-cleared for this use')}
        listLabel="The lab’s software"
        empty="No software yet: add the software (and version) that makes parts, so each part can say what made it."
        onRetire={(s, retired) => retire.mutateAsync({ id: s.id, retired })}
        onDelete={(s) => remove.mutateAsync(s.id)}
        editForm={(s, onDone) => <SoftwareForm editing={s} onDone={onDone} />}
      />
      <SoftwareForm editing={null} />
    </section>
  );
}
