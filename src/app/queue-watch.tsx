// The sign-off queue outside its screen: its count as the installed app's badge (Badging
// API, where the browser has it: a number only, never patient data), cleared when the
// tablet locks; and a polite announcement when new cases join it while the app is open.
import { useEffect, useRef, useState } from 'react';
import { currentUnlock, subscribeVault } from '../db/vault';
import { queueRoleOf } from '../domain/stages';
import { useQueueCount } from '../queries/queue-queries';
import { useSession } from '../session/session';

type Badging = { setAppBadge?: (n?: number) => Promise<void>; clearAppBadge?: () => Promise<void> };
const badging = (): Badging => (typeof navigator === 'undefined' ? {} : (navigator as Navigator & Badging));

function showBadge(count: number): void {
  const nav = badging();
  // A refused badge (no permission, not installed) changes nothing on screen.
  if (count > 0) void nav.setAppBadge?.(count).catch(() => undefined);
  else void nav.clearAppBadge?.().catch(() => undefined);
}

export function QueueWatch() {
  const { actor } = useSession();
  const role = queueRoleOf(actor);
  const count = useQueueCount(role).data;
  const seen = useRef<{ userId: string; count: number } | null>(null);
  const [announcement, setAnnouncement] = useState('');

  useEffect(() => {
    const stop = subscribeVault(() => {
      if (!currentUnlock()) {
        showBadge(0);
        seen.current = null;
        setAnnouncement('');
      }
    });
    // Unmounted when the tablet locks or someone who does not sign is signed in: no badge either way.
    return () => {
      stop();
      showBadge(0);
    };
  }, []);

  useEffect(() => {
    if (!actor || !role || count === undefined) return;
    showBadge(count);
    const before = seen.current?.userId === actor.id ? seen.current.count : null;
    seen.current = { userId: actor.id, count };
    // The first count after sign-in is the queue as it is, not news.
    if (before !== null && count > before) {
      const added = count - before;
      setAnnouncement(`${added} new case${added === 1 ? '' : 's'} waiting for your sign-off (${count} in all).`);
    }
  }, [actor, role, count]);

  if (!role) return null;
  return <div className="visually-hidden" role="status" aria-live="polite" aria-label="Sign-off queue updates">{announcement}</div>;
}
