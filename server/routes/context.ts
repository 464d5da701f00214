import type { FastifyInstance } from 'fastify';
import type { Store } from '../db/store';
import type { LabSignals } from '../live';

/** Requests allowed per time window, per client address (or per device credential for pushes). */
export type RateLimit = { max: number; timeWindow: number };

export type RateLimits = {
  setup: RateLimit;
  enrol: RateLimit;
  collect: RateLimit;
  push: RateLimit;
};

export const DEFAULT_RATE_LIMITS: RateLimits = {
  setup: { max: 10, timeWindow: 60_000 },
  enrol: { max: 10, timeWindow: 60_000 },
  collect: { max: 120, timeWindow: 60_000 },
  push: { max: 600, timeWindow: 60_000 },
};

export type RouteContext = {
  app: FastifyInstance;
  store: Store;
  signals: LabSignals;
  limits: RateLimits;
};
