// zod, configured once: no runtime code generation (it would probe `eval`,
// which the app's Content Security Policy forbids).
import { z } from 'zod';

z.config({ jitless: true });

export { z };
