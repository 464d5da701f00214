// iOS browsers delete a website's data after 7 days without use unless the app is on
// the home screen: in an iPad or iPhone browser tab Printpath asks to be added there.
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, test } from 'vitest';
import { HomeScreenHint, shouldSuggestHomeScreen, type PlatformFacts } from '../../../src/features/install/home-screen-hint';

const IPAD_OS: PlatformFacts = {
  // iPadOS Safari asks for desktop sites: it says "Macintosh"; the touch screen gives it away.
  userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  platform: 'MacIntel',
  maxTouchPoints: 5,
  standalone: false,
};
const OLD_IPAD: PlatformFacts = { ...IPAD_OS, userAgent: 'Mozilla/5.0 (iPad; CPU OS 12_5 like Mac OS X) AppleWebKit/605.1.15 Version/12.1 Mobile/15E148 Safari/604.1', platform: 'iPad' };
const MAC: PlatformFacts = { ...IPAD_OS, maxTouchPoints: 0 };
const ANDROID: PlatformFacts = { userAgent: 'Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 Chrome/131.0 Safari/537.36', platform: 'Linux armv8l', maxTouchPoints: 10, standalone: false };
const LINUX_WEBKIT: PlatformFacts = { userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/60.5 Safari/605.1.15', platform: 'Linux x86_64', maxTouchPoints: 0, standalone: false };

afterEach(() => localStorage.clear());

describe('shouldSuggestHomeScreen', () => {
  test('iPad (either way it introduces itself) and iPhone in a browser tab: yes', () => {
    expect(shouldSuggestHomeScreen(IPAD_OS)).toBe(true);
    expect(shouldSuggestHomeScreen(OLD_IPAD)).toBe(true);
    expect(shouldSuggestHomeScreen({ ...OLD_IPAD, userAgent: OLD_IPAD.userAgent.replace('iPad; CPU OS', 'iPhone; CPU iPhone OS') })).toBe(true);
  });

  test('already on the home screen, or not iOS: no', () => {
    expect(shouldSuggestHomeScreen({ ...IPAD_OS, standalone: true })).toBe(false);
    expect(shouldSuggestHomeScreen(MAC)).toBe(false);
    expect(shouldSuggestHomeScreen(ANDROID)).toBe(false);
    expect(shouldSuggestHomeScreen(LINUX_WEBKIT)).toBe(false);
  });
});

describe('HomeScreenHint', () => {
  const hint = () => screen.queryByRole('region', { name: 'Add Printpath to the home screen' });

  test('on iPad in Safari it asks to be added to the home screen and reminds about backups', () => {
    render(<HomeScreenHint platform={IPAD_OS} />);
    expect(hint()).toHaveTextContent('Tap Share, then Add to Home Screen');
    expect(hint()).toHaveTextContent('after 7 days without use');
    expect(hint()).toHaveTextContent('Keep making backups');
  });

  test('not shown in the home-screen app, nor on other tablets', () => {
    render(<HomeScreenHint platform={{ ...IPAD_OS, standalone: true }} />);
    render(<HomeScreenHint platform={ANDROID} />);
    expect(hint()).toBeNull();
  });

  test('"Not now" hides it, also on the next load', async () => {
    const { unmount } = render(<HomeScreenHint platform={IPAD_OS} />);
    await userEvent.click(screen.getByRole('button', { name: 'Not now' }));
    expect(hint()).toBeNull();
    unmount();
    render(<HomeScreenHint platform={IPAD_OS} />);
    expect(hint()).toBeNull();
  });
});
