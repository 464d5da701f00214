// Automatic logoff (HIPAA 164.312(a)(2)(iii)): lock after a quiet period. Any
// touch, click, key or scroll counts as activity.
import { useEffect } from 'react';
import { lock } from '../db/vault';

const ACTIVITY = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;

export function useIdleLock(minutes: number, active: boolean): void {
  useEffect(() => {
    if (!active) return;
    let timer = window.setTimeout(() => void lock(), minutes * 60_000);
    const reset = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => void lock(), minutes * 60_000);
    };
    ACTIVITY.forEach((e) => window.addEventListener(e, reset, { passive: true }));
    return () => {
      window.clearTimeout(timer);
      ACTIVITY.forEach((e) => window.removeEventListener(e, reset));
    };
  }, [minutes, active]);
}
