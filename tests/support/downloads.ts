// Captures what a screen downloads under jsdom: the Blob handed to URL.createObjectURL
// and the name on the link it clicks, as the browser would save them.
import { afterEach, vi } from 'vitest';

export function captureDownloads(): { name: string; blob: Blob }[] {
  const files: { name: string; blob: Blob }[] = [];
  let last: Blob | null = null;
  Object.assign(URL, { createObjectURL: vi.fn((b: Blob) => ((last = b), 'blob:printpath/x')), revokeObjectURL: vi.fn() });
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    files.push({ name: this.download, blob: last! });
  });
  return files;
}

afterEach(() => {
  Reflect.deleteProperty(URL, 'createObjectURL');
  Reflect.deleteProperty(URL, 'revokeObjectURL');
});
