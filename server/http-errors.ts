// Every refusal is a status and one plain sentence ({ error }), never a stack or the input;
// a few add fields a client acts on (a stale push names its chains: { error, stale }).
import type { ZodError } from 'zod';

/** Extra fields of a refusal's body, beside `error` (which they cannot replace). */
export type ErrorFields = Readonly<Record<string, unknown>> & { error?: never };

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly fields: ErrorFields = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const badRequest = (message: string) => new HttpError(400, message);
export const unauthorized = (message: string) => new HttpError(401, message);
export const forbidden = (message: string) => new HttpError(403, message);
export const notFound = (message: string) => new HttpError(404, message);
export const conflict = (message: string, fields?: ErrorFields) => new HttpError(409, message, fields);
export const tooMany = (message: string) => new HttpError(429, message);

/** The first problem zod found, as a sentence naming where it is: "events[2].size: must be…". */
export function describeZodError(error: ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'The request is not valid.';
  const where = issue.path
    .map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`))
    .join('');
  const message = issue.message.replace(/\.$/, '');
  return where ? `The request is not valid: ${where} ${startsLower(message) ? message : `— ${message}`}.` : `The request is not valid: ${message}.`;
}

const startsLower = (text: string) => /^[a-z]/.test(text);

/** Parses with zod or throws a 400 whose sentence says what is wrong. */
export function parseOr400<T>(schema: { safeParse(input: unknown): { success: true; data: T } | { success: false; error: ZodError } }, input: unknown): T {
  const result = schema.safeParse(input);
  if (!result.success) throw badRequest(describeZodError(result.error));
  return result.data;
}
