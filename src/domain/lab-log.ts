// The lab log: the root of trust for who is on the lab, with which roles and which
// public keys. Every entry is signed by the person who made it: people, roles, keys
// and policy by an admin with their sign-off key (secret typed at that moment), a
// person's own new entry key by that person. The people table on a device is only a
// cache of what this log says; a row that disagrees is not trusted.
// The root is the first admin's key at set-up (or, on a tablet upgraded from before
// the signed log, the key of the admin who started it): its fingerprint is shown on
// the admin page and printed on every case PDF, so a log rebuilt from a new root shows.
// Pure: signatures are checked by the caller (Web Crypto) and passed in.
import { BoundedMap } from './bounded-map';
import type { AuditEntry } from './audit-chain';
import { UNSIGNED_KINDS } from './audit-chain';
import type { Actor, Role } from './case';
import { sha256Hex } from './canonical';
import { asUserId } from './ids';

/** A P-256 public key as a minimal JWK. */
export type PublicKey = { kty: 'EC'; crv: 'P-256'; x: string; y: string };

// Every entry's check looks its author's keys up by fingerprint: each fingerprint is remembered by exactly what it hashes.
const fingerprints = new BoundedMap<string, string>(1_000);
/** SHA-256 (hex) of the RFC 7638 thumbprint input: the same value as crypto/signing-keys publicKeyFingerprint. */
export function keyFingerprint(k: PublicKey): string {
  const text = JSON.stringify({ crv: k.crv, kty: k.kty, x: k.x, y: k.y });
  return fingerprints.of(text, () => sha256Hex(text));
}

/** A person as an admin attests them on the log. Keys oldest first: the last is current. */
export type MemberRecord = {
  id: string;
  name: string;
  roles: Role[];
  active: boolean;
  demo: boolean;
  /** Sign-off keys (unwrapped only with the secret typed at a sign-off). */
  signingKeys: PublicKey[];
  /** Entry keys (unwrapped at sign-in): sign ordinary audit entries. */
  entryKeys: PublicKey[];
};

export type Member = MemberRecord & {
  /** Every role the person has held: a signature made in a role keeps counting after the role is taken away. */
  heldRoles: Role[];
};

export type LabEventKind =
  | `${'printer' | 'material' | 'software'}-${'added' | 'changed' | 'retired' | 'reactivated' | 'deleted'}`
  | 'combination-validated'
  | 'combination-withdrawn'
  | 'tablet-set-up'
  | 'signed-log-started'
  | 'user-added'
  | 'roles-changed'
  | 'user-disabled'
  | 'user-enabled'
  | 'secret-reset'
  | 'secret-changed'
  | 'entry-key-set'
  | 'signing-key-set'
  | 'sign-in'
  | 'sign-in-failed'
  | 'account-locked'
  | 'policy-changed'
  | 'code-table-changed'
  | 'lock'
  | 'backup-exported'
  | 'backup-restored'
  | 'lab-server-connected'
  | 'device-enrolled'
  | 'lab-merged'
  | 'device-revoked'
  | 'recovery-key-created'
  | 'conflict-resolved'
  | 'printer-qa-recorded';

export type LabEvent = {
  kind: LabEventKind;
  summary: string;
  subjectId?: string;
  keyFingerprint?: string;
  /** tablet-set-up, user-added: the person as added. */
  member?: MemberRecord;
  /** signed-log-started: everyone on the tablet when it was upgraded to the signed log. */
  members?: MemberRecord[];
  /** signed-log-started: each case's chain head then, so its older, unsigned entries stay anchored. */
  legacyCases?: Record<string, string>;
  /** roles-changed: the new roles. */
  roles?: Role[];
  /** secret-reset, secret-changed: the new keys; entry-key-set: the person's new entry key. */
  signingKey?: PublicKey;
  entryKey?: PublicKey;
  policy?: unknown;
  /** lab-merged: the lab log a joining tablet brought, as its approval attests it. */
  merged?: MergedLog;
};

/**
 * A tablet that joins a lab with records of its own brings its lab log: kept whole (its
 * entries name the chain "lab", which the lab's own log already is) and vouched for by the
 * admin who approved the tablet, who attests its root key and head. Its people join the lab.
 */
export type MergedLog = { id: string; deviceName: string; root: string; head: string; seq: number; people: number; cases: number };

/** A merged log as its records on this device check out: its folded state, or why it does not verify. */
export type MergedState = LabState | { problem: string };

const GENESIS_KINDS = new Set<string>(['tablet-set-up', 'signed-log-started']);
const ADMIN_KINDS = new Set<string>(['user-added', 'roles-changed', 'secret-reset', 'user-disabled', 'user-enabled', 'policy-changed', 'lab-merged']);

/** Entries that change who may do what: their signatures are checked before the log is trusted at all. */
const SELF_KINDS = new Set<string>(['entry-key-set', 'secret-changed']);
export const changesAuthority = (e: Pick<AuditEntry, 'kind'>) => GENESIS_KINDS.has(e.kind) || ADMIN_KINDS.has(e.kind) || SELF_KINDS.has(e.kind);

export type LabState = {
  /** Fingerprint of the root key; null when the log has no valid signed start. */
  root: string | null;
  members: ReadonlyMap<string, Member>;
  /** Case chain heads when the signed log started on an upgraded tablet (none on a new one). */
  legacyCases: Readonly<Record<string, string>>;
  policy: unknown;
  /** Entries the rules refused, in plain words: each is shown, none has any effect. */
  refused: { seq: number; reason: string }[];
};

/** The signature check of an entry: true, false, or undefined when not checked (yet). */
export type SigCheck = (e: AuditEntry) => boolean | undefined;

/** Every public key any entry introduces, by fingerprint (the caller verifies signatures with these). */
export function introducedKeys(entries: readonly AuditEntry[]): Map<string, PublicKey> {
  const keys = new Map<string, PublicKey>();
  const add = (k: unknown) => {
    if (isPublicKey(k)) keys.set(keyFingerprint(k), k);
  };
  for (const e of entries) {
    const b = e.body as LabEvent | null;
    if (!b || typeof b !== 'object') continue;
    for (const m of [b.member, ...(Array.isArray(b.members) ? b.members : [])]) {
      if (m && typeof m === 'object') [...(m.signingKeys ?? []), ...(m.entryKeys ?? [])].forEach(add);
    }
    add(b.signingKey);
    add(b.entryKey);
  }
  return keys;
}

const fps = (keys: readonly PublicKey[]) => keys.map(keyFingerprint);
const union = (a: readonly Role[], b: readonly Role[]) => [...new Set([...a, ...b])];
const activeAdmins = (members: ReadonlyMap<string, Member>) => [...members.values()].filter((m) => m.active && m.roles.includes('admin'));

/** The merged logs a lab log vouches for, by id: each is read and checked before the log is folded. */
export function mergedLogs(entries: readonly AuditEntry[]): MergedLog[] {
  return entries.flatMap((e) => {
    const m = e.kind === 'lab-merged' ? (e.body as LabEvent | null)?.merged : undefined;
    return m && typeof m.id === 'string' && typeof m.head === 'string' && Number.isInteger(m.seq) ? [m] : [];
  });
}

/**
 * Folds the log (in chain order, its links already checked) into who is on the lab.
 * Entries made before the signed log are skipped; anything the rules refuse is listed.
 * `merged`: the logs that tablets joining with their own records brought, by id; one not
 * here yet (its records still on their way) adds nobody until it is.
 */
export function foldLabLog(entries: readonly AuditEntry[], sigOk: SigCheck, merged: ReadonlyMap<string, MergedState> = new Map()): LabState {
  let root: string | null = null;
  const members = new Map<string, Member>();
  let legacyCases: Record<string, string> = {};
  let policy: unknown = undefined;
  const refused: LabState['refused'] = [];

  for (const e of entries) {
    if (e.v !== 2) continue;
    const refuse = (reason: string) => refused.push({ seq: e.seq, reason });
    const b = (e.body ?? {}) as LabEvent;
    if (UNSIGNED_KINDS.has(e.kind)) continue;
    if (sigOk(e) === false) {
      refuse(`entry ${e.seq} (${e.kind}) carries a signature that does not verify`);
      continue;
    }
    const checked = sigOk(e) === true;

    if (GENESIS_KINDS.has(e.kind)) {
      if (root !== null) {
        refuse(`entry ${e.seq} tries to start the lab log again`);
        continue;
      }
      if (!checked) {
        refuse(`entry ${e.seq} (the start of the lab log) is not signed`);
        break;
      }
      const start = e.kind === 'tablet-set-up' ? (isMember(b.member) ? [b.member] : []) : (b.members ?? []).filter(isMember);
      const founder = start.find((m) => m.id === e.actorId);
      if (!founder || !founder.active || !founder.roles.includes('admin') || !fps(founder.signingKeys).includes(e.keyId ?? '')) {
        refuse(`entry ${e.seq} (the start of the lab log) is not signed by a lab admin it names`);
        break;
      }
      for (const m of start) members.set(m.id, { ...m, heldRoles: [...m.roles] });
      legacyCases = e.kind === 'signed-log-started' && b.legacyCases && typeof b.legacyCases === 'object' ? { ...b.legacyCases } : {};
      root = e.keyId ?? null;
      continue;
    }
    if (root === null) {
      refuse(`entry ${e.seq} comes before the lab log was started`);
      continue;
    }
    const actor = members.get(e.actorId);
    if (!actor) {
      refuse(`entry ${e.seq} is by someone who is not on the lab log`);
      continue;
    }

    if (ADMIN_KINDS.has(e.kind)) {
      if (!checked || !actor.active || !actor.roles.includes('admin') || !fps(actor.signingKeys).includes(e.keyId ?? '')) {
        refuse(`entry ${e.seq} (${e.kind}) is not signed by an active lab admin’s own key`);
        continue;
      }
      const problem = e.kind === 'lab-merged' ? mergeLog(members, legacyCases, b.merged, merged) : applyAdminEvent(members, actor, b);
      if (problem) refuse(`entry ${e.seq}: ${problem}`);
      else if (e.kind === 'policy-changed') policy = b.policy;
      continue;
    }
    if (SELF_KINDS.has(e.kind)) {
      // A person's own new keys, signed with the sign-off key they had: nobody else can give them keys this way.
      const newSigning = e.kind === 'secret-changed' ? b.signingKey : undefined;
      if (!checked || b.subjectId !== actor.id || !isPublicKey(b.entryKey) || (e.kind === 'secret-changed' && !isPublicKey(newSigning)) || !fps(actor.signingKeys).includes(e.keyId ?? '')) {
        refuse(`entry ${e.seq} (new keys) is not signed by the person they are for`);
        continue;
      }
      members.set(actor.id, { ...actor, signingKeys: newSigning ? [...actor.signingKeys, newSigning] : actor.signingKeys, entryKeys: [...actor.entryKeys, b.entryKey] });
      continue;
    }
    if (!entryKeyOf(actor, e.keyId ?? '')) refuse(`entry ${e.seq} is not signed with a key of ${actor.name}`);
  }
  return { root, members, legacyCases, policy, refused };
}

/** The people of a merged log join the lab with the keys and roles it gives them; everyone already on the lab stays as they are. */
function mergeLog(members: Map<string, Member>, legacyCases: Record<string, string>, m: MergedLog | undefined, merged: ReadonlyMap<string, MergedState>): string | null {
  if (!m) return 'the merged records are not described';
  const other = merged.get(m.id);
  if (!other) return null;
  if ('problem' in other) return `the lab log “${m.deviceName}” brought does not verify: ${other.problem}`;
  if (other.root !== m.root) return `the lab log “${m.deviceName}” brought does not start with the key its approval names`;
  for (const [id, member] of other.members) if (!members.has(id)) members.set(id, member);
  Object.assign(legacyCases, other.legacyCases);
  return null;
}

function applyAdminEvent(members: Map<string, Member>, actor: Member, b: LabEvent): string | null {
  if (b.kind === 'user-added') {
    const m = b.member;
    if (!isMember(m) || m.roles.length === 0) return 'the person added is not described completely';
    if (members.has(m.id)) return `${m.name} is already on the lab`;
    if ([...members.values()].some((x) => x.name.toLowerCase() === m.name.toLowerCase())) return `another person is already called ${m.name}`;
    members.set(m.id, { ...m, heldRoles: [...m.roles] });
    return null;
  }
  if (b.kind === 'policy-changed') return null;
  const subject = b.subjectId ? members.get(b.subjectId) : undefined;
  if (!subject) return 'it names a person who is not on the lab';
  switch (b.kind) {
    case 'roles-changed': {
      const roles = Array.isArray(b.roles) ? b.roles : [];
      if (roles.length === 0) return 'a person needs at least one role';
      if (subject.id === actor.id && roles.some((r) => !subject.roles.includes(r))) return `${actor.name} granted a role to themselves, which nobody can`;
      const next = { ...subject, roles, heldRoles: union(subject.heldRoles, roles) };
      if (!roles.includes('admin') && subject.roles.includes('admin') && activeAdmins(new Map([...members, [subject.id, next]])).length === 0) return 'it would leave the lab without an admin';
      members.set(subject.id, next);
      return null;
    }
    case 'secret-reset':
      if (!isPublicKey(b.signingKey) || !isPublicKey(b.entryKey)) return 'the new keys are missing';
      members.set(subject.id, { ...subject, signingKeys: [...subject.signingKeys, b.signingKey], entryKeys: [...subject.entryKeys, b.entryKey] });
      return null;
    case 'user-disabled':
    case 'user-enabled': {
      const active = b.kind === 'user-enabled';
      if (!active && subject.id === actor.id) return 'an admin cannot disable themselves';
      const next = { ...subject, active };
      if (!active && activeAdmins(new Map([...members, [subject.id, next]])).length === 0) return 'it would leave the lab without an admin';
      members.set(subject.id, next);
      return null;
    }
    default:
      return 'it is not a change an admin makes';
  }
}

/** The public key of `member` that `keyId` names, for ordinary entries (entry or sign-off key). */
export function entryKeyOf(member: MemberRecord, keyId: string): PublicKey | null {
  return [...member.entryKeys, ...member.signingKeys].find((k) => keyFingerprint(k) === keyId) ?? null;
}

/** The sign-off key of `member` that `keyId` names. */
export function signingKeyOf(member: MemberRecord, keyId: string): PublicKey | null {
  return member.signingKeys.find((k) => keyFingerprint(k) === keyId) ?? null;
}

export const actorOf = (m: Pick<Member, 'id' | 'name' | 'roles' | 'demo'>): Actor => ({ id: asUserId(m.id), name: m.name, roles: m.roles, ...(m.demo ? { demo: true } : {}) });

/** A stored person (a cache row) against the log: null when they agree, else what differs, in words. */
export function rowDisagreement(
  row: { name: string; roles: readonly Role[]; active: boolean; demo?: boolean; signingKeys: readonly { publicKeyJwk: JsonWebKey }[]; entryKeys?: readonly { publicKeyJwk: JsonWebKey }[] },
  member: Member | undefined,
): string | null {
  if (!member) return 'this person is not on the lab’s signed log';
  const differs: string[] = [];
  if (row.name !== member.name) differs.push('name');
  if ([...row.roles].sort().join() !== [...member.roles].sort().join()) differs.push('roles');
  if (row.active !== member.active) differs.push('active or disabled');
  if (Boolean(row.demo) !== member.demo) differs.push('demo');
  const same = (a: readonly { publicKeyJwk: JsonWebKey }[] | undefined, b: readonly PublicKey[]) =>
    (a ?? []).length === b.length && (a ?? []).every((k, i) => isPublicKey(k.publicKeyJwk) && keyFingerprint(k.publicKeyJwk) === keyFingerprint(b[i]!));
  if (!same(row.signingKeys, member.signingKeys)) differs.push('sign-off keys');
  if (!same(row.entryKeys, member.entryKeys)) differs.push('entry keys');
  return differs.length ? `its ${differs.join(', ')} differ from the lab’s signed log` : null;
}

export function isPublicKey(k: unknown): k is PublicKey {
  const b64url = /^[A-Za-z0-9_-]{43}$/;
  if (!k || typeof k !== 'object') return false;
  const j = k as Record<string, unknown>;
  return j.kty === 'EC' && j.crv === 'P-256' && typeof j.x === 'string' && typeof j.y === 'string' && b64url.test(j.x) && b64url.test(j.y) && j.d === undefined;
}

function isMember(m: unknown): m is MemberRecord {
  if (!m || typeof m !== 'object') return false;
  const x = m as Record<string, unknown>;
  return (
    typeof x.id === 'string' &&
    typeof x.name === 'string' &&
    Array.isArray(x.roles) &&
    x.roles.every((r) => r === 'technician' || r === 'radiologist' || r === 'admin') &&
    typeof x.active === 'boolean' &&
    typeof x.demo === 'boolean' &&
    Array.isArray(x.signingKeys) &&
    x.signingKeys.length > 0 &&
    x.signingKeys.every(isPublicKey) &&
    Array.isArray(x.entryKeys) &&
    x.entryKeys.every(isPublicKey)
  );
}
