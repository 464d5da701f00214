import { REGISTRY_COLUMNS, type RegistrySection } from '../../domain/registry-export';

/** The CSV's columns by registry section (their meanings are in docs/exports.md). */
export function RegistryColumnsList() {
  const sections = new Map<RegistrySection, string[]>();
  for (const c of REGISTRY_COLUMNS) sections.set(c.section, [...(sections.get(c.section) ?? []), c.key]);
  return (
    <details className="export-columns">
      <summary className="btn">Columns in the file</summary>
      <dl className="details">
        {[...sections].map(([section, keys]) => (
          <div key={section}>
            <dt>{section}</dt>
            <dd>{keys.map((k, i) => <span key={k}><code>{k}</code>{i < keys.length - 1 ? ', ' : ''}</span>)}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
