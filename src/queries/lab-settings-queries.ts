// The lab's printer and material lists: read by the printing stage and the
// intake forms (as choices), changed on Lab settings by a lab admin.
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { MaterialInput, PrinterInput } from '../domain/lab-settings';
import type { CodeTableEdit } from '../domain/code-table';
import type { PrinterQaInput } from '../domain/printer-qa';
import type { CombinationInput, SoftwareInput, WithdrawalInput } from '../domain/traceability';
import * as repo from '../db/lab-settings-repo';
import { caseKeys } from './case-queries';

export const labSettingsKeys = {
  all: ['lab-settings'] as const,
  printers: () => [...labSettingsKeys.all, 'printers'] as const,
  materials: () => [...labSettingsKeys.all, 'materials'] as const,
  usage: () => [...labSettingsKeys.all, 'usage'] as const,
  software: () => [...labSettingsKeys.all, 'software'] as const,
  combinations: () => [...labSettingsKeys.all, 'combinations'] as const,
};

export const printersQuery = () => queryOptions({ queryKey: labSettingsKeys.printers(), queryFn: repo.listPrinters });
export const materialsQuery = () => queryOptions({ queryKey: labSettingsKeys.materials(), queryFn: repo.listMaterials });

export const softwareQuery = () => queryOptions({ queryKey: labSettingsKeys.software(), queryFn: repo.listSoftware });
export const combinationsQuery = () => queryOptions({ queryKey: labSettingsKeys.combinations(), queryFn: repo.listCombinations });
export const useSoftware = () => useQuery(softwareQuery());
/** The validated combinations (withdrawn ones too): what decides a model's label, on screen and in the PDF. */
export const useCombinations = () => useQuery(combinationsQuery());

export const usePrinters = () => useQuery(printersQuery());
export const useMaterials = () => useQuery(materialsQuery());
/** How many cases name each entry: Lab settings only. */
export const labListUsageQuery = () => queryOptions({ queryKey: labSettingsKeys.usage(), queryFn: () => repo.readLabListUsage() });
export const useLabListUsage = () => useQuery(labListUsageQuery());

function useLabListMutation<A, R>(fn: (a: A) => Promise<R>) {
  const client = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => client.invalidateQueries({ queryKey: labSettingsKeys.all }) });
}

export const useSavePrinter = () => useLabListMutation((a: { input: PrinterInput; id: string | null }) => repo.savePrinter(a.input, a.id));
export const useSaveMaterial = () => useLabListMutation((a: { input: MaterialInput; id: string | null }) => repo.saveMaterial(a.input, a.id));
export const useSetPrinterRetired = () => useLabListMutation((a: { id: string; retired: boolean }) => repo.setPrinterRetired(a.id, a.retired));
export const useSetMaterialRetired = () => useLabListMutation((a: { id: string; retired: boolean }) => repo.setMaterialRetired(a.id, a.retired));
export const useDeletePrinter = () => useLabListMutation((id: string) => repo.deletePrinter(id));
/** A check on a printer's QA log; `today` is the tablet's local day. */
export const useRecordPrinterQa = () => useLabListMutation((a: { printerId: string; input: PrinterQaInput; today: string }) => repo.recordPrinterQa(a.printerId, a.input, a.today));
export const useDeleteMaterial = () => useLabListMutation((id: string) => repo.deleteMaterial(id));
export const useSaveSoftware = () => useLabListMutation((a: { input: SoftwareInput; id: string | null }) => repo.saveSoftware(a.input, a.id));
export const useSetSoftwareRetired = () => useLabListMutation((a: { id: string; retired: boolean }) => repo.setSoftwareRetired(a.id, a.retired));
export const useDeleteSoftware = () => useLabListMutation((id: string) => repo.deleteSoftware(id));
export const useValidateCombination = () => useLabListMutation((input: CombinationInput) => repo.validateCombination(input));
export const useWithdrawCombination = () => useLabListMutation((a: { id: string; input: WithdrawalInput }) => repo.withdrawCombination(a.id, a.input));

/** The code table's MUEs and payer notes: the case pages read it through useCodeTable. */
export function useSaveCodeTable() {
  const client = useQueryClient();
  return useMutation({ mutationFn: (edit: CodeTableEdit) => repo.saveCodeTableEdit(edit), onSuccess: () => client.invalidateQueries({ queryKey: caseKeys.codeTable() }) });
}
