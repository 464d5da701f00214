// The pool a restore checks its signatures and opens its history with: every answer must be
// the one verifyText (or decryptJson) gives, in the caller's order, whether the workers answer,
// crash or cannot start (their checks are then made on the page).
import { describe, expect, test } from 'vitest';
import { encryptJson, type Sealed } from '../../src/crypto/field-cipher';
import { newDataKey } from '../../src/crypto/data-key';
import { sha256Native } from '../../src/crypto/sha256';
import { deriveSecretKeys, newKdfParams } from '../../src/crypto/secret-keys';
import { newSigningKeyPair, signText, unwrapSigningKey } from '../../src/crypto/signing-keys';
import { runVerifyJobs, type VerifyReply, type VerifyRequest } from '../../src/crypto/verify-jobs';
import { verifyPool, type VerifyWorker } from '../../src/crypto/verify-pool';

async function signer() {
  const { kek } = await deriveSecretKeys('135790', newKdfParams(1_000));
  const { publicKeyJwk, wrappedPrivateKey } = await newSigningKeyPair(kek);
  return { publicKeyJwk, privateKey: await unwrapSigningKey(wrappedPrivateKey, kek) };
}

/** A worker run in this thread, answering later like a real one; `crashAfter` messages, it fails instead. */
function standIn(log: VerifyRequest[], crashAfter = Infinity): VerifyWorker {
  let seen = 0;
  const w: VerifyWorker = {
    onmessage: null,
    onerror: null,
    terminate: () => {},
    postMessage: (m: VerifyRequest) => {
      log.push(m);
      const crash = ++seen > crashAfter;
      setTimeout(() => {
        if (crash) return w.onerror?.(new Event('error'));
        void runVerifyJobs(m).then((reply) => w.onmessage?.({ data: reply } as MessageEvent<VerifyReply>));
      }, 1);
    },
  };
  return w;
}

describe('verify pool', async () => {
  const a = await signer();
  const b = await signer();
  const good = await signText(a.privateKey, 'printpath/v2/entry\u0000one');
  // 1,300 checks, more than two chunks: good, wrong text, another key, a malformed signature.
  const jobs = Array.from({ length: 1300 }, (_, i) => {
    switch (i % 4) {
      case 0: return { key: a.publicKeyJwk, text: 'printpath/v2/entry\u0000one', sig: good, ok: true };
      case 1: return { key: a.publicKeyJwk, text: 'printpath/v2/entry\u0000two', sig: good, ok: false };
      case 2: return { key: b.publicKeyJwk, text: 'printpath/v2/entry\u0000one', sig: good, ok: false };
      default: return { key: a.publicKeyJwk, text: 'printpath/v2/entry\u0000one', sig: 'not a signature', ok: false };
    }
  });
  const run = async (spawn: (() => VerifyWorker) | null, size = 2) => {
    const pool = verifyPool({ size, spawn });
    try {
      return await Promise.all(jobs.map((j) => pool.verify(j.key, j.text, j.sig)));
    } finally {
      pool.close();
    }
  };

  test('answers every signature as verifyText does, in order, in chunks spread over the workers, each key sent once per chunk', async () => {
    const log: VerifyRequest[] = [];
    const spawned: VerifyWorker[] = [];
    expect(await run(() => { const w = standIn(log); spawned.push(w); return w; })).toEqual(jobs.map((j) => j.ok));
    expect(spawned).toHaveLength(2);
    expect(log.length).toBeGreaterThanOrEqual(3);
    expect(log.reduce((n, m) => n + m.jobs.length, 0)).toBe(jobs.length);
    for (const m of log) expect(m.keys.length).toBeLessThanOrEqual(2);
  });

  test('a worker that fails: its signatures are checked on the page, none is taken as verified', async () => {
    const log: VerifyRequest[] = [];
    expect(await run(() => standIn(log, 0))).toEqual(jobs.map((j) => j.ok));
    expect(await run(() => standIn(log, 1))).toEqual(jobs.map((j) => j.ok));
  });

  test('workers that cannot start, or none at all: checked on the page', async () => {
    expect(await run(() => { throw new Error('no workers here'); })).toEqual(jobs.map((j) => j.ok));
    expect(await run(null)).toEqual(jobs.map((j) => j.ok));
  });

  test('opens sealed values with the pool’s data key, in workers or on the page: a wrong key, record or byte does not open', async () => {
    const key = await newDataKey();
    const other = await newDataKey();
    const sealed = await encryptJson({ event: 'ticked' }, key, 'case-1');
    const altered: Sealed = { ...sealed, ct: `${sealed.ct[0] === 'A' ? 'B' : 'A'}${sealed.ct.slice(1)}` };
    const checks = Array.from({ length: 1100 }, (_, i) => {
      switch (i % 4) {
        case 0: return { sealed, aad: 'case-1', ok: true };
        case 1: return { sealed, aad: 'case-2', ok: false };
        case 2: return { sealed: altered, aad: 'case-1', ok: false };
        default: return { sealed: { v: 1, iv: 'short', ct: 'x' } as Sealed, aad: 'case-1', ok: false };
      }
    });
    const opened = async (spawn: (() => VerifyWorker) | null, dataKey = key) => {
      const pool = verifyPool({ size: 2, spawn, dataKey });
      try {
        return await Promise.all(checks.map((c) => pool.opens(c.sealed, c.aad)));
      } finally {
        pool.close();
      }
    };
    const log: VerifyRequest[] = [];
    expect(await opened(() => standIn(log))).toEqual(checks.map((c) => c.ok));
    expect(log.reduce((n, m) => n + m.jobs.length, 0)).toBe(checks.length);
    expect(await opened(() => standIn(log, 1))).toEqual(checks.map((c) => c.ok));
    expect(await opened(null)).toEqual(checks.map((c) => c.ok));
    expect(await opened(() => standIn(log), other)).toEqual(checks.map(() => false));
    // A browser that cannot send a key to a worker (DataCloneError): those checks are made on the page.
    const refusing: VerifyWorker = { ...standIn(log), postMessage: () => { throw new DOMException('CryptoKey cannot be cloned', 'DataCloneError'); } };
    expect(await opened(() => refusing)).toEqual(checks.map((c) => c.ok));
  });

  test('checks SHA-256 hashes in workers or on the page: another text does not hold', async () => {
    const hash = await sha256Native('printpath/v2/entry\u0000Zoë');
    const texts = Array.from({ length: 1100 }, (_, i) => (i % 2 === 0 ? 'printpath/v2/entry\u0000Zoë' : 'printpath/v2/entry\u0000Zoe'));
    const hashed = async (spawn: (() => VerifyWorker) | null) => {
      const pool = verifyPool({ size: 2, spawn });
      try {
        return await Promise.all(texts.map((t) => pool.hashIs(t, hash)));
      } finally {
        pool.close();
      }
    };
    const expected = texts.map((_, i) => i % 2 === 0);
    const log: VerifyRequest[] = [];
    expect(await hashed(() => standIn(log))).toEqual(expected);
    expect(log.reduce((n, m) => n + m.jobs.length, 0)).toBe(texts.length);
    expect(await hashed(() => standIn(log, 1))).toEqual(expected);
    expect(await hashed(null)).toEqual(expected);
  });
});
