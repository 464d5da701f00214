// The lab server as one Fastify instance: the sync API under /api and the built app.
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { deviceOf } from './auth';
import type { Store } from './db/store';
import { HttpError } from './http-errors';
import { LabSignals } from './live';
import { DEFAULT_RATE_LIMITS, type RateLimits, type RouteContext } from './routes/context';
import { deviceRoutes } from './routes/devices';
import { enrolmentRoutes } from './routes/enrolments';
import { eventRoutes } from './routes/events';
import { fileRoutes } from './routes/files';
import { recoveryRoutes } from './routes/recovery';
import { setupRoutes } from './routes/setup';
import { SECURITY_HEADERS } from './security-headers';
import { staticHandler } from './static-files';

export type ServerOptions = {
  store: Store;
  /** The built app to serve; null for the API alone. */
  distDir?: string | null;
  /** Where log lines (JSON, one per line) go; stdout by default. */
  logStream?: { write(line: string): void };
  logLevel?: string;
  rateLimits?: Partial<RateLimits>;
  /** Behind the lab's HTTPS proxy: trust its X-Forwarded-For (see Fastify's trustProxy). */
  trustProxy?: boolean | string | string[];
  signals?: LabSignals;
};

/** What a log line may say about a request: no body, no query, no headers, no path values. */
function requestSummary(request: FastifyRequest) {
  return {
    method: request.method,
    route: request.routeOptions.url ?? '(no route)',
    device: deviceOf(request)?.id,
  };
}

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: options.logLevel ?? 'info',
      ...(options.logStream ? { stream: options.logStream } : {}),
      // Belt and braces: nothing that logs a request object may print its credential.
      redact: { paths: ['req.headers.authorization', 'headers.authorization', '*.headers.authorization'], censor: '[redacted]' },
      serializers: {
        err: (error: FastifyError) => ({ type: error.name, code: error.code, message: error.message, stack: error.stack ?? '' }),
      },
    },
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: options.trustProxy ?? false,
    // On shutdown, end open long-polls at once rather than wait out their 30 s: clients pull again.
    forceCloseConnections: true,
    bodyLimit: 64 * 1024,
    // Route patterns keep their case; lab ids are lower-case UUIDs.
    routerOptions: { ignoreTrailingSlash: true },
  }) as unknown as FastifyInstance;

  app.removeContentTypeParser('text/plain'); // the API takes JSON only: anything else is a 415 with a sentence
  const signals = options.signals ?? new LabSignals();
  const limits: RateLimits = { ...DEFAULT_RATE_LIMITS, ...options.rateLimits };

  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      Object.assign(new HttpError(429, `Too many requests: try again in ${Math.ceil(context.ttl / 1000)} s.`), { statusCode: 429 }),
  });

  app.addHook('onSend', async (request, reply, payload) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.header(name, value);
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
    return payload;
  });

  app.addHook('onResponse', async (request, reply) => {
    request.log.info({ ...requestSummary(request), status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
  });

  app.setErrorHandler((error: FastifyError | HttpError, request, reply) => {
    const status = error.statusCode ?? 500;
    if (error instanceof HttpError) return reply.code(status).send({ error: error.message, ...error.fields });
    if (status === 429) return reply.code(status).send({ error: error.message });
    if (status < 500) {
      const message = clientErrorSentence(error as FastifyError);
      return reply.code(status).send({ error: message });
    }
    (request.log as FastifyBaseLogger).error({ ...requestSummary(request), err: error }, 'request failed');
    return reply.code(500).send({ error: 'The server could not handle this request; the error has been logged.' });
  });

  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: `There is no ${request.method} route here.` }));

  const context: RouteContext = { app, store: options.store, signals, limits };
  app.get('/api/health', async () => ({ ok: true }));
  setupRoutes(context);
  enrolmentRoutes(context);
  deviceRoutes(context);
  eventRoutes(context);
  recoveryRoutes(context);
  fileRoutes(context);

  if (options.distDir) app.get('/*', staticHandler(options.distDir));
  return app;
}

function clientErrorSentence(error: FastifyError): string {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'The request body is too large.';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'The request body must be JSON (Content-Type: application/json).';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'The request body is empty; it must be JSON.';
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return 'The request body is not valid JSON.';
    default:
      return error.statusCode === 400 && error instanceof SyntaxError ? 'The request body is not valid JSON.' : 'The request is not valid.';
  }
}
