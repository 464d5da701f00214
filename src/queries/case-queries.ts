// One key factory for case data, shared by every feature that shows a case.
import { keepPreviousData, queryOptions, useMutation, useMutationState, useQueries, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { Case, StageId } from '../domain/case';
import { asEventId, type CaseId } from '../domain/ids';
import { currentUnlock } from '../db/vault';
import { countCases, countListed, LIST_PAGE, listCaseIds, listPage, listRows, searchCaseIds, type CaseListFilter, type CaseListItem } from '../db/case-repo';
import { batchLoader } from './batch-loader';
import type { CaseCommand } from '../db/case-commands';
import type { CaseView } from '../db/case-view-repo';
import { afterPaint } from './after-paint';

export const caseKeys = {
  all: ['cases'] as const,
  list: (f: CaseListFilter) => [...caseKeys.all, 'list', f] as const,
  listCount: (f: CaseListFilter) => [...caseKeys.all, 'list', f, 'count'] as const,
  listPage: (f: CaseListFilter, page: number) => [...caseKeys.all, 'list', f, 'page', page] as const,
  search: (query: string) => [...caseKeys.all, 'search', query] as const,
  row: (id: CaseId, today: string) => [...caseKeys.all, 'row', id, today] as const,
  count: () => [...caseKeys.all, 'count'] as const,
  detail: (id: CaseId) => [...caseKeys.all, 'detail', id] as const,
  history: (id: CaseId) => [...caseKeys.all, 'history', id] as const,
  codeTable: () => ['settings', 'codeTable'] as const,
  indexing: () => [...caseKeys.all, 'indexing'] as const,
  /** Mutation key: the commands being written to a case. */
  commands: (id: CaseId | null) => [...caseKeys.all, 'commands', id] as const,
};

/** How far the cases' list keys are rebuilt behind the list (after a restore), or null when all are. */
export const useIndexProgress = () => useQuery({ queryKey: caseKeys.indexing(), queryFn: async () => (await import('../db/derived-index')).indexProgress() });

export const caseListQuery = (f: CaseListFilter) => queryOptions({ queryKey: caseKeys.list(f), queryFn: () => listCaseIds(f) });

const rowLoaders = new Map<string, (id: CaseId) => Promise<CaseListItem | null>>();
function loadRow(id: CaseId, today: string) {
  let load = rowLoaders.get(today);
  if (!load) rowLoaders.set(today, (load = batchLoader(async (ids: CaseId[]) => new Map((await listRows(ids, today)).map((r) => [r.id, r])))));
  return load(id);
}
/** One row of the list; rows on screen at the same time are read together. Off-screen rows are soon forgotten. */
export const caseRowQuery = (id: CaseId, today: string) => queryOptions({ queryKey: caseKeys.row(id, today), queryFn: () => loadRow(id, today), gcTime: 30_000 });
// One case's read and checks load when a case is first opened (not with the list).
const caseView = () => import('../db/case-view-repo');
export const caseQuery = (id: CaseId) => queryOptions({ queryKey: caseKeys.detail(id), queryFn: () => withHistory(id) });

/** A case whose history this device does not hold (domain/holding.ts) brings it from the lab server when opened, if it can. */
async function withHistory(id: CaseId) {
  const repo = await caseView();
  const view = await repo.getCaseView(id);
  if (!view || view.historyHere) return view;
  const fetched = await import('../sync/archive').then((a) => a.fetchHistory(id)).then(() => true, () => false);
  return fetched ? repo.getCaseView(id) : view;
}
// Read and checked (every entry's hash and signature) once the case page has painted: opening a case shows it
// first, its history's check says "being checked" until then, as it did while the reads were under way.
const caseHistoryQuery = (id: CaseId) =>
  queryOptions({
    queryKey: caseKeys.history(id),
    queryFn: async () => {
      const [repo] = await Promise.all([caseView(), afterPaint()]);
      return repo.getCaseHistory(id);
    },
  });
// The code rules load with a case, not with the list.
export const codeTableQuery = () => queryOptions({ queryKey: caseKeys.codeTable(), queryFn: async () => (await import('../db/code-table-repo')).getCodeTable() });

const PREFETCHED_ROWS = 12;

/** The cases a search finds; the rows it will show first are read with it, so its result paints in one go. */
const caseSearchQuery = (client: QueryClient, f: CaseListFilter, search: string) =>
  queryOptions({
    queryKey: caseKeys.search(search),
    queryFn: async () => {
      const [found, ids] = await Promise.all([searchCaseIds(search), client.fetchQuery(caseListQuery(f))]);
      const firstRows = found ? ids.filter((id) => found.has(id) && !client.getQueryData(caseKeys.row(id, f.today))).slice(0, PREFETCHED_ROWS) : [];
      for (const row of firstRows.length ? await listRows(firstRows, f.today) : []) client.setQueryData(caseKeys.row(row.id, f.today), row);
      return found;
    },
  });

/** Starts a search from the keystroke itself, before the list renders for it. */
export function useStartSearch(f: CaseListFilter) {
  const client = useQueryClient();
  return (search: string) => {
    if (search.trim()) void client.prefetchQuery(caseSearchQuery(client, f, search));
  };
}

/** `next` adds to or takes from the end of `previous`: what typing does, unlike a new search after a clear. */
const typingOn = (previous: string | undefined, next: string) => !!previous?.trim() && (next.startsWith(previous) || previous.startsWith(next));

/**
 * The list as a filter and a search show it: how many cases, and the ids of rows
 * [first, last) (undefined while a page loads). Without a search it reads the count
 * and the pages on screen from the index; a search narrows the filter's ordered ids.
 * Until a search has its first result the list stays as it was; while the next
 * keystroke's result is read, it keeps the result of the one before.
 */
export function useCaseList(f: CaseListFilter, search: string, first = 0, last = 0) {
  const searching = search.trim() !== '';
  const client = useQueryClient();
  const matches = useQuery({ ...caseSearchQuery(client, f, search), enabled: searching, placeholderData: (previous, query) => (typingOn(query?.queryKey[2], search) ? previous : undefined) });
  const all = useQuery({ ...caseListQuery(f), enabled: searching });
  const found = useMemo(() => (all.data && matches.data ? all.data.filter((id) => matches.data!.has(id)) : undefined), [all.data, matches.data]);
  const filtered = searching && found !== undefined;
  const count = useQuery({ queryKey: caseKeys.listCount(f), queryFn: () => countListed(f), placeholderData: keepPreviousData });
  // Pages follow the rows on screen even while a search narrows the list: its observers then stay
  // as they are, and a search's result paints in one render.
  const pageNumbers = [];
  for (let p = Math.floor(first / LIST_PAGE); p * LIST_PAGE < last; p++) pageNumbers.push(p);
  const pages = useQueries({ queries: pageNumbers.map((p) => ({ queryKey: caseKeys.listPage(f, p), queryFn: () => listPage(f, p) })) });

  if (filtered) return { total: found.length, isPending: false, idAt: (i: number) => found[i] };
  const byPage = new Map(pageNumbers.map((p, n) => [p, pages[n]?.data]));
  return { total: count.data, isPending: count.isPending, idAt: (i: number) => byPage.get(Math.floor(i / LIST_PAGE))?.[i % LIST_PAGE] };
}
export const useCaseCount = () => useQuery({ queryKey: caseKeys.count(), queryFn: countCases });
export const useCase = (id: CaseId) => useQuery(caseQuery(id));
export const useCaseHistory = (id: CaseId) => useQuery(caseHistoryQuery(id));
export const useCodeTable = () => useQuery(codeTableQuery());

// Writes load their code (the domain's commands, input schemas, signing) on first
// use: the case list does not need them to show. It is kept: a fresh import() per
// tick would cost a task and Vite's preload check.
let writeModule: Promise<typeof import('../db/case-commands')> | undefined;
let commandModule: Promise<typeof import('../domain/commands')> | undefined;
const writes = () => (writeModule ??= import('../db/case-commands'));
const commands = () => (commandModule ??= import('../domain/commands'));

/**
 * Runs a command on a case as the signed-in person. A tick shows on the case
 * once the tap itself has painted (the checklist shows it in that frame), with
 * the same pure rules the write applies, marked as still saving; the write then
 * either confirms it or puts the case back as it was and says why.
 * The mutation stays pending until the transaction has committed (durably, with
 * its signed entry on the case's chain): only then may the screen say a change is
 * saved (see `usePendingCommands`), and it shows the case as the write committed it.
 * The case is then read back and checked again behind the screen. Other commands
 * show once committed: a stage form shown as saved early would drop its draft, and
 * a cancel or close says who did it.
 */
export function useRunCommand(caseId: CaseId | null) {
  const client = useQueryClient();
  return useMutation({
    mutationKey: caseKeys.commands(caseId),
    onMutate: async ({ command }: { command: CaseCommand }) => {
      if (!caseId || command.type !== 'tick') return { before: undefined };
      const key = caseQuery(caseId).queryKey;
      // The tap paints first; the rest of the page follows in the next frame.
      await afterPaint();
      // A re-read of the previous write still under way must not land over this tick.
      await client.cancelQueries({ queryKey: key, exact: true });
      const before = client.getQueryData(key);
      const unlocked = currentUnlock();
      if (!before || !unlocked) return { before: undefined };
      const { applyCommand } = await commands();
      const result = applyCommand(before.case, command, { actor: unlocked.actor, now: new Date().toISOString(), eventId: asEventId('pending'), distrusted: before.distrusted });
      if (result.ok) {
        const shown: CaseView = { ...before, case: result.case };
        client.setQueryData(key, shown);
      }
      return { before };
    },
    mutationFn: async ({ command }: { command: CaseCommand }): Promise<Case> => (await writes()).runCommand(caseId, command),
    onError: (_e, _v, context) => {
      if (caseId && context?.before) client.setQueryData(caseQuery(caseId).queryKey, context.before);
    },
    onSuccess: (committed) => {
      if (caseId) client.setQueryData<CaseView | null>(caseQuery(caseId).queryKey, (view) => view && { ...view, case: committed });
      // Not awaited: the write already has the case it committed. The re-read checks the stored
      // record against its signed entry, the signatures and the history again, as an opening does.
      void client.invalidateQueries({ queryKey: caseKeys.all });
    },
  });
}

/**
 * The commands on a case not yet committed, from any component (one that mounts
 * while a write is under way still knows the change it shows is not stored yet).
 */
export function usePendingCommands(caseId: CaseId): CaseCommand[] {
  return useMutationState({
    filters: { mutationKey: caseKeys.commands(caseId), exact: true, status: 'pending' },
    select: (m) => (m.state.variables as { command: CaseCommand } | undefined)?.command,
  }).filter((c): c is CaseCommand => c !== undefined);
}

export function useSignStage(caseId: CaseId) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ stage, secret }: { stage: StageId; secret: string }) => (await import('../db/signing')).signStage(caseId, stage, secret),
    onSuccess: () => client.invalidateQueries({ queryKey: caseKeys.all }),
  });
}

export function useLoadDemoCases() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ count, adminSecret }: { count: number; adminSecret: string }) => (await import('../db/demo-repo')).loadDemoCases(count, adminSecret),
    onSuccess: () => client.invalidateQueries(),
  });
}
