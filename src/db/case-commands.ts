// Writing cases: every change is one command applied by the domain for the
// signed-in person, then stored with its audit entry in one transaction. The entry
// seals the event, the command and a hash of the case as it resulted, and is signed
// with the person's entry key. The Web Crypto work (sealing, signing) happens before
// the transaction; the transaction checks that nobody wrote the case meanwhile, else it retries.
// Components never touch the database. Signing goes through signing.ts.
import { chainHead, GENESIS } from '../domain/audit-chain';
import type { Actor, Case } from '../domain/case';
import { caseHash } from '../domain/case-hash';
import { applyCommand, type Command } from '../domain/commands';
import { asEventId, type CaseId } from '../domain/ids';
import type { Distrusted } from '../domain/workflow';
import { encryptJson } from '../crypto/field-cipher';
import { holdsHistory, lastEntry, type SealedCaseEntry } from './audit-repo';
import { entrySigner, signedEntry } from './signed-entries';
import { fromRow } from './case-codec';
import { toRow } from './case-encode';
import { appendEntries, db, durableDb, type CaseRow, type FileChunkRow, type PrintpathDb } from './database';
import { filesToSend } from './file-transfers';
import { CommandRefused, guardStorage } from './errors';
import { claimCaseNumber, peekCaseNumber, type CaseNumberClaim } from './settings-repo';
import { requireUnlock } from './vault';
import { checkRecord, rememberWritten } from './record-check';
import { readLabTrust } from './lab-log-repo';
import { withListedExpiry } from './part-print-repo';

export type NewCaseCommand = Extract<Command, { type: 'create' }>;
export type CaseCommand = Exclude<Command, { type: 'sign' }> | Omit<NewCaseCommand, 'caseNumber'>;

class Conflict extends Error {}

/** Applies a command for the signed-in person; stores the case and its audit entry together, or nothing. */
export function runCommand(caseId: CaseId | null, command: CaseCommand, now: string = new Date().toISOString()): Promise<Case> {
  if ((command as Command).type === 'sign') return Promise.reject(new CommandRefused('Signing needs the signer’s secret: sign from the sign-off panel.'));
  if (command.type === 'close' && caseId) return commit(caseId, () => closing(caseId, command), now);
  if (command.type === 'recordPartPrint') return commit(caseId, async (current) => ({ command: await withListedExpiry(current, command) }), now);
  return commit(caseId, () => ({ command: command as Command }), now);
}

/** Closing freezes the codes for billing: only what verifies counts (a record that does not verify is refused by commit, as for any change). */
async function closing(caseId: CaseId, command: Command): Promise<Prepared> {
  const view = await (await import('./case-view-repo')).getCaseView(caseId);
  if (view?.people.state === 'failed') throw new CommandRefused(`This case cannot be closed for billing. ${view.people.text}`);
  return { command, distrusted: view?.distrusted ?? new Set() };
}

/** `fileChunks`: a model file's sealed bytes, written in the same transaction as the command that attaches it. */
type Prepared = { command: Command; distrusted?: Distrusted; fileChunks?: readonly FileChunkRow[] };

/**
 * The one write path. `prepare` may do async work (e.g. a digital signature) on the
 * case as read; the transaction then refuses to write if the case changed meanwhile.
 */
export async function commit(
  caseId: CaseId | null,
  prepare: (current: Case | null, actor: Actor) => Prepared | Promise<Prepared>,
  now: string,
  // Durable: what the screen shows as saved must survive a power cut too, not only a reload.
  store: PrintpathDb = durableDb,
  attempts = 3,
): Promise<Case> {
  const unlocked = requireUnlock();
  const { actor, dataKey } = unlocked;
  for (let attempt = 1; ; attempt++) {
    // The chain's last entry is read with the case: the transaction checks it is still the last.
    // The case and its last entry in one read transaction (each transaction is a round trip to the browser's storage);
    // the lab's trust apart, as it may check signatures (Web Crypto), which a transaction cannot wait for.
    const [[row, last], trust] = await Promise.all([
      caseId ? db.transaction('r', db.cases, db.audit, () => Promise.all([db.cases.get(caseId), lastEntry(caseId)])) : [undefined, null],
      readLabTrust(),
    ]);
    if (caseId && !row) throw new CommandRefused('This case is not on this tablet');
    const [holds, current] = row ? await Promise.all([holdsHistory(row), fromRow(row, dataKey)]) : [true, null];
    if (!holds) throw new CommandRefused('This case’s history is on the lab server, not on this device: open it while online to bring it here, then change it.');
    const lab = trust.state;
    if (row && current) {
      const record = await checkRecord(row, current, last, dataKey, lab);
      if (record.state === 'failed') throw new CommandRefused(`Nothing was saved: this case’s stored record does not verify, and a change would sign it as if Printpath had made it. ${record.text} Restore the case from a backup or from the lab server.`);
    }
    const prepared = await prepare(current, actor);
    let command = prepared.command;
    let claim: CaseNumberClaim | null = null;
    if (command.type === 'create') {
      claim = await peekCaseNumber(now.slice(0, 4));
      command = { ...command, caseNumber: claim.number };
    }
    const result = applyCommand(current, command, { actor, now, eventId: asEventId(crypto.randomUUID()), ...(prepared.distrusted ? { distrusted: prepared.distrusted } : {}) });
    if (!result.ok) throw new CommandRefused(result.reason);
    const next = result.case;
    const sealed: SealedCaseEntry = { event: result.event, command, caseHash: caseHash(next) };
    const entry = await signedEntry(last, { chain: next.id, at: now, kind: result.event.type, body: await encryptJson(sealed, dataKey, next.id) }, entrySigner(unlocked));
    const pending = await toRow(next, unlocked, chainHead(entry, next.id));
    try {
      await guardStorage(() =>
        store.transaction('rw', [store.cases, store.audit, store.outbox, store.settings, store.fileChunks, store.fileTransfers], async () => {
          const [stored, tail] = await Promise.all([store.cases.get(next.id), lastEntry(next.id, store)]);
          if ((stored?.revision ?? 0) !== (row?.revision ?? 0)) throw new Conflict();
          if ((tail?.hash ?? GENESIS) !== entry.prevHash) throw new Conflict();
          if (claim && !(await claimCaseNumber(claim, store))) throw new Conflict();
          // Issued together (one transaction keeps their order and commits all or none): one round trip, not one each.
          const files = prepared.fileChunks?.length ? [store.fileChunks.bulkPut(prepared.fileChunks as FileChunkRow[]), store.fileTransfers.bulkPut(filesToSend(prepared.fileChunks))] : [];
          await Promise.all([appendEntries(store, [entry]), ...files, store.cases.put(pending satisfies CaseRow)]);
        }),
      );
      rememberWritten(pending, entry, dataKey, lab);
      return next;
    } catch (e) {
      if (e instanceof Conflict && attempt < attempts) continue;
      if (e instanceof Conflict) throw new CommandRefused('The case changed on another screen while saving: nothing was saved. Check it and try again.');
      throw e;
    }
  }
}
