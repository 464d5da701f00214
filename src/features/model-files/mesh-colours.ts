// Which colour each part of a mesh is drawn in: the colour recorded on the deliverable's
// component of the same structure (or, failing a name match, the component in the same
// place), read from the lab's words for colours. Pure.
import type { Deliverable } from '../../domain/case';

const NAMED: Record<string, string> = {
  white: '#f2f2ee', ivory: '#f3ecd8', bone: '#e8dcc0', beige: '#e2d3b0', cream: '#f1e6c8', clear: '#cfe3ea', transparent: '#cfe3ea',
  red: '#c8372d', pink: '#e58aa0', orange: '#e07b28', yellow: '#e8c53a', green: '#3f9a4a', blue: '#2f6fc0', cyan: '#35a7b8',
  purple: '#7d4fb0', violet: '#7d4fb0', magenta: '#b8388f', brown: '#8a5a35', grey: '#8b8f94', gray: '#8b8f94', black: '#2b2b2b',
};
const PALETTE = ['#e8dcc0', '#c8372d', '#2f6fc0', '#3f9a4a', '#e8c53a', '#7d4fb0'];
const GUIDE = '#35a7b8';

export function colourFromWords(words: string): string | null {
  const hex = /#[0-9a-f]{6}\b/i.exec(words)?.[0];
  if (hex) return hex.toLowerCase();
  for (const w of words.toLowerCase().split(/[^a-z]+/)) if (NAMED[w]) return NAMED[w];
  return null;
}

export type PartColour = { colour: string; label: string };

export function partColours(partNames: readonly string[], d: Deliverable | undefined): PartColour[] {
  if (!d) return partNames.map((n, i) => ({ colour: PALETTE[i % PALETTE.length]!, label: n || `Part ${i + 1}` }));
  if (d.kind === 'guide') return partNames.map((n, i) => ({ colour: GUIDE, label: n || (partNames.length > 1 ? `${d.name}, part ${i + 1}` : d.name) }));
  const norm = (s: string) => s.trim().toLowerCase();
  return partNames.map((name, i) => {
    const byName = d.components.find((p) => name && (norm(name).includes(norm(p.structure)) || norm(p.structure).includes(norm(name))));
    const component = byName ?? d.components[i];
    const colour = (component && colourFromWords(component.colour)) ?? PALETTE[i % PALETTE.length]!;
    return { colour, label: component ? `${component.structure}${component.colour ? ` (${component.colour})` : ''}` : name || `Part ${i + 1}` };
  });
}
