// The lab's printer and material lists: read by the printing stage and the
// intake forms (as choices), changed on Lab settings by a lab admin.
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { MaterialInput, PrinterInput } from '../domain/lab-settings';
import type { CodeTableEdit } from '../domain/code-table';
import type { PrinterQaInput } from '../domain/printer-qa';
import * as repo from '../db/lab-settings-repo';
import { caseKeys } from './case-queries';

export const labSettingsKeys = {
  all: ['lab-settings'] as const,
  printers: () => [...labSettingsKeys.all, 'printers'] as const,
  materials: () => [...labSettingsKeys.all, 'materials'] as const,
  usage: () => [...labSettingsKeys.all, 'usage'] as const,
};

export const printersQuery = () => queryOptions({ queryKey: labSettingsKeys.printers(), queryFn: repo.listPrinters });
export const materialsQuery = () => queryOptions({ queryKey: labSettingsKeys.materials(), queryFn: repo.listMaterials });

export const usePrinters = () => useQuery(printersQuery());
export const useMaterials = () => useQuery(materialsQuery());
/** Which cases name each entry (reads every case's clear part: Lab settings only). */
export const useLabListUsage = () => useQuery({ queryKey: labSettingsKeys.usage(), queryFn: repo.readLabListUsage });

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

/** The code table's MUEs and payer notes: the case pages read it through useCodeTable. */
export function useSaveCodeTable() {
  const client = useQueryClient();
  return useMutation({ mutationFn: (edit: CodeTableEdit) => repo.saveCodeTableEdit(edit), onSuccess: () => client.invalidateQueries({ queryKey: caseKeys.codeTable() }) });
}
