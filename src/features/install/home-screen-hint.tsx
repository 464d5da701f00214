// On iPad and iPhone, Safari (and every other iOS browser, all WebKit) deletes a
// website's storage after 7 days without use, cases included, and does not let it be
// made persistent; an app added to the home screen is exempt. So in an iOS browser
// tab (not the home-screen app) Printpath asks to be added, and reminds about backups.
import { useState } from 'react';

export type PlatformFacts = {
  userAgent: string;
  platform: string;
  maxTouchPoints: number;
  /** Running as an installed app (home screen), not in a browser tab. */
  standalone: boolean;
};

const DISMISS_KEY = 'printpath.homeScreenHint.dismissedAt';
/** "Not now" hides the hint for this long. */
export const HINT_SNOOZE_DAYS = 7;

/** iPhone, iPod, or iPad, including iPadOS, whose Safari says "Macintosh" but has a touch screen. */
export function isIos({ userAgent, platform, maxTouchPoints }: PlatformFacts): boolean {
  return /\b(iPad|iPhone|iPod)\b/.test(userAgent) || ((platform === 'MacIntel' || /\bMacintosh\b/.test(userAgent)) && maxTouchPoints > 1);
}

export const shouldSuggestHomeScreen = (facts: PlatformFacts): boolean => isIos(facts) && !facts.standalone;

export function currentPlatform(): PlatformFacts {
  const nav = navigator as Navigator & { standalone?: boolean };
  const displayStandalone = typeof window.matchMedia === 'function' && window.matchMedia('(display-mode: standalone)').matches;
  return {
    userAgent: nav.userAgent,
    platform: nav.platform ?? '',
    maxTouchPoints: nav.maxTouchPoints ?? 0,
    standalone: nav.standalone === true || displayStandalone,
  };
}

function snoozed(now: number): boolean {
  try {
    const at = Number(localStorage.getItem(DISMISS_KEY));
    return at > 0 && now - at < HINT_SNOOZE_DAYS * 86_400_000;
  } catch {
    return false; // no localStorage (private mode): show it
  }
}

export function HomeScreenHint({ platform = currentPlatform() }: { platform?: PlatformFacts }) {
  const [hidden, setHidden] = useState(() => !shouldSuggestHomeScreen(platform) || snoozed(Date.now()));
  if (hidden) return null;
  const notNow = () => {
    try {
      localStorage.setItem(DISMISS_KEY, String(Date.now()));
    } catch {
      // hidden for this page only
    }
    setHidden(true);
  };
  return (
    <section className="notice warn" aria-label="Add Printpath to the home screen" style={{ margin: '0.5rem 1rem' }}>
      <strong>Add Printpath to the home screen.</strong> In a browser tab on iPad, Safari deletes Printpath’s data, cases included, after 7 days
      without use; the home-screen app keeps it. Tap Share, then Add to Home Screen, and open Printpath from there. Keep making backups either way.
      <div className="btn-row" style={{ marginTop: '0.5rem' }}>
        <button type="button" className="btn" onClick={notNow}>Not now</button>
      </div>
    </section>
  );
}
