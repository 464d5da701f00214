// One key factory for case data, shared by every feature that shows a case.
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Case, StageId } from '../domain/case';
import type { CaseId } from '../domain/ids';
import { countCases, getCase, listCases, type CaseListFilter } from '../db/case-repo';
import type { CaseCommand } from '../db/case-commands';
import { getCodeTable } from '../db/settings-repo';

export const caseKeys = {
  all: ['cases'] as const,
  list: (f: CaseListFilter) => [...caseKeys.all, 'list', f] as const,
  count: () => [...caseKeys.all, 'count'] as const,
  detail: (id: CaseId) => [...caseKeys.all, 'detail', id] as const,
  codeTable: () => ['settings', 'codeTable'] as const,
};

export const caseListQuery = (f: CaseListFilter) => queryOptions({ queryKey: caseKeys.list(f), queryFn: () => listCases(f) });
export const caseQuery = (id: CaseId) => queryOptions({ queryKey: caseKeys.detail(id), queryFn: () => getCase(id) });
export const codeTableQuery = () => queryOptions({ queryKey: caseKeys.codeTable(), queryFn: getCodeTable });

export const useCaseList = (f: CaseListFilter) => useQuery(caseListQuery(f));
export const useCaseCount = () => useQuery({ queryKey: caseKeys.count(), queryFn: countCases });
export const useCase = (id: CaseId) => useQuery(caseQuery(id));
export const useCodeTable = () => useQuery(codeTableQuery());

// Writes load their code (the domain's commands, input schemas, signing) on first
// use: the case list does not need them to show.
const writes = () => import('../db/case-commands');

/** Runs a command on a case as the signed-in person; the cache refreshes from the database change event. */
export function useRunCommand(caseId: CaseId | null) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ command }: { command: CaseCommand }): Promise<Case> => (await writes()).runCommand(caseId, command),
    onSuccess: () => client.invalidateQueries({ queryKey: caseKeys.all }),
  });
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
    mutationFn: async (count: number) => (await import('../db/demo-repo')).loadDemoCases(count),
    onSuccess: () => client.invalidateQueries(),
  });
}
