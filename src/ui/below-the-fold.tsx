import { useEffect, useState, type ReactNode, type RefObject } from 'react';
import { afterPaint } from '../queries/after-paint';

/**
 * What a screen shows below its first screenful: it renders once the screen has painted, so what the
 * person came for comes first; after that (`painted`, one per screen) it shows at once. Only it re-renders.
 */
export function BelowTheFold({ painted, children }: { painted: RefObject<boolean>; children: ReactNode }) {
  const [shown, setShown] = useState(painted.current);
  useEffect(() => {
    if (shown) return;
    let live = true;
    void afterPaint().then(() => {
      painted.current = true;
      if (live) setShown(true);
    });
    return () => {
      live = false;
    };
  }, [painted, shown]);
  return shown ? children : null;
}
