// Loads realistic demo cases (with two demo people, and the printers and materials
// the cases use) so a first-time user sees the product working. Uses the same
// generator as the tests and benchmarks; the demo radiologist's signatures are
// made with that account's real signing key and each history entry with its
// author's entry key, so they verify like any other. Demo people are marked as
// such on the lab log, and can never sign a real case.
import { chainHead, type AuditEntry } from '../domain/audit-chain';
import { caseHash } from '../domain/case-hash';
import type { Case, Role, Signature, StageId } from '../domain/case';
import { generateCase, seededRng } from '../domain/demo-cases';
import { DEMO_MATERIALS, DEMO_PRINTERS } from '../domain/demo-lab';
import { DEMO_PEOPLE, DEMO_PIN } from '../domain/demo-people';
import { STAGE_IDS } from '../domain/stages';
import { signatureText } from '../domain/workflow';
import { encryptJson } from '../crypto/field-cipher';
import { deriveSecretKeys } from '../crypto/secret-keys';
import { signText, unwrapSigningKey } from '../crypto/signing-keys';
import { addUser, toActor } from './accounts';
import type { SealedCaseEntry } from './audit-repo';
import { signedEntry, type EntrySigner } from './signed-entries';
import { toRow } from './case-encode';
import { appendEntries, db, type UserRow } from './database';
import { CommandRefused, guardStorage } from './errors';
import { addMissingLabEntries } from './lab-settings-repo';
import { claimCaseNumber, peekCaseNumber, type CaseNumberClaim } from './settings-repo';
import { requireUnlock } from './vault';


async function demoUser(name: string, roles: Role[], adminSecret: string): Promise<UserRow> {
  const existing = await db.users.where('name').equals(name).first();
  return existing ?? (await addUser({ name, roles, secret: DEMO_PIN }, adminSecret, new Date().toISOString(), { demo: true }));
}

/** A demo person's entry key, opened with the demo PIN. */
async function demoSigner(user: UserRow): Promise<EntrySigner> {
  const { kek } = await deriveSecretKeys(DEMO_PIN, user.kdf);
  return { actor: toActor(user), key: await unwrapSigningKey(user.wrappedEntryKey!, kek, 'entry-key'), keyId: user.entryKeys!.at(-1)!.fingerprint };
}

async function withRealSignatures(c: Case, sign: (text: string) => Promise<string>, keyFingerprint: string): Promise<Case> {
  const stages = { ...c.stages };
  const prove = async (stage: StageId, s: Signature) => ({ ...s, keyFingerprint, value: await sign(signatureText(c.id, stage, s)) });
  for (const id of STAGE_IDS) {
    const rec = stages[id];
    stages[id] = {
      ...rec,
      signature: rec.signature ? await prove(id, rec.signature) : null,
      voidedSignatures: await Promise.all(rec.voidedSignatures.map((v) => prove(id, v).then((p) => ({ ...v, ...p })))),
    };
  }
  return { ...c, stages };
}

export type DemoOptions = {
  /** How far to take case `index` (0 = just opened … 4 = delivered, 5 = closed); by default `index % 6`. */
  progress?: (index: number) => number;
};

/** Adds `count` demo cases spread over every stage; returns how many were added. Needs a lab admin signed in, who types their secret (it adds two demo people). */
export async function loadDemoCases(count: number, adminSecret: string, now: Date = new Date(), seed = 2019, options: DemoOptions = {}): Promise<number> {
  const unlocked = requireUnlock();
  const { actor, dataKey } = unlocked;
  if (!actor.roles.includes('admin')) throw new CommandRefused('Ask a lab admin to load the demo cases (they add two demo people)');
  const technician = await demoUser(DEMO_PEOPLE[0]!.name, DEMO_PEOPLE[0]!.roles, adminSecret);
  const radiologist = await demoUser(DEMO_PEOPLE[1]!.name, DEMO_PEOPLE[1]!.roles, adminSecret);
  const signers = new Map(await Promise.all([technician, radiologist].map(async (u) => [u.id, await demoSigner(u)] as const)));
  await addMissingLabEntries(DEMO_PRINTERS, DEMO_MATERIALS, now.toISOString());
  const { kek } = await deriveSecretKeys(DEMO_PIN, radiologist.kdf);
  const signingKey = await unwrapSigningKey(radiologist.wrappedSigningKey, kek);
  const fingerprint = radiologist.signingKeys.at(-1)!.fingerprint;

  const rng = seededRng(seed);
  const prepared: { row: Awaited<ReturnType<typeof toRow>>; entries: AuditEntry[] }[] = [];
  let claim = await peekCaseNumber(now.toISOString().slice(0, 4));
  const claims: CaseNumberClaim[] = [];
  for (let i = 0; i < count; i++) {
    const openedAt = new Date(now.getTime() - (7 + Math.floor(rng() * 40)) * 86_400_000).toISOString();
    const g = generateCase(rng, { index: i, openedAt, technician: toActor(technician), radiologist: toActor(radiologist), progress: options.progress?.(i) ?? i % 6, newId: () => crypto.randomUUID(), caseNumber: claim.number, demo: true });
    claims.push(claim);
    claim = { ...claim, seq: claim.seq + 1, number: claim.number.replace(/\d{4}$/, String(claim.seq + 1).padStart(4, '0')) };
    const c = await withRealSignatures({ ...g.case, demo: true }, (text) => signText(signingKey, text), fingerprint);
    const entries: AuditEntry[] = [];
    for (const [n, e] of g.events.entries()) {
      const sealed: SealedCaseEntry = { event: e, command: null, caseHash: n === g.events.length - 1 ? caseHash(c) : null };
      entries.push(await signedEntry(entries.at(-1) ?? null, { chain: c.id, at: e.at, kind: e.type, body: await encryptJson(sealed, dataKey, c.id) }, signers.get(e.actorId)!));
    }
    prepared.push({ row: await toRow(c, unlocked, chainHead(entries.at(-1)!, c.id)), entries });
  }
  await guardStorage(() =>
    db.transaction('rw', [db.cases, db.audit, db.outbox, db.settings], async () => {
      for (const c of claims) if (!(await claimCaseNumber(c))) throw new CommandRefused('Case numbers changed while loading: try again');
      await db.cases.bulkAdd(prepared.map((p) => p.row));
      await appendEntries(db, prepared.flatMap((p) => p.entries));
    }),
  );
  return count;
}
