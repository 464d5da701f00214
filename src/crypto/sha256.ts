import { bytesToHex, utf8Encode } from './encoding';
import { subtle } from './runtime';

/** The platform's SHA-256 in lower-case hex: of a text's UTF-8, or of bytes. */
export const sha256Native = async (data: string | Uint8Array<ArrayBuffer>): Promise<string> =>
  bytesToHex(new Uint8Array(await subtle().digest('SHA-256', typeof data === 'string' ? utf8Encode(data) : data)));
