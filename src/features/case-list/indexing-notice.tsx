import { useIndexProgress } from '../../queries/case-queries';

/** After a restore the cases are indexed behind the list: it says how far, and that the list fills meanwhile. */
export function IndexingNotice() {
  const progress = useIndexProgress().data;
  if (!progress) return null;
  return (
    <div className="notice" role="status">
      <strong>Indexing cases for the list and search: {progress.done.toLocaleString('en-US')} of {progress.total.toLocaleString('en-US')} done.</strong>{' '}
      Cases appear here as they are indexed; everything else works meanwhile.
    </div>
  );
}
