// The lab server as screens see it. Sync code (src/sync) loads only when one of these
// runs, never with the first load: a tablet that is not connected never fetches it.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { readSyncState } from '../db/sync-state';
import type { Joining } from '../sync/lab-server';
import type { Merged } from '../sync/merge';
import type { Holding } from '../domain/holding';
import { caseKeys } from './case-queries';
import type { CaseId } from '../domain/ids';

const labServer = () => import('../sync/lab-server');

export const syncKeys = {
  all: ['sync'] as const,
  state: ['sync', 'state'] as const,
  waiting: ['sync', 'waiting'] as const,
  devices: ['sync', 'devices'] as const,
  parked: (caseId: string) => ['sync', 'parked', caseId] as const,
  parkedLab: ['sync', 'parked-lab'] as const,
  recovery: ['sync', 'recovery'] as const,
};

/** This device's link to the lab server; null when it is not connected. */
export const useSyncState = () => useQuery({ queryKey: syncKeys.state, queryFn: () => readSyncState() });

function useServerMutation<A, R>(fn: (a: A) => Promise<R>) {
  const client = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => client.invalidateQueries() });
}

type Authorised<T> = T & { adminSecret: string };

export const useConnectLab = () =>
  useServerMutation(async (a: Authorised<{ code: string; deviceName: string }>) => {
    const connected = await (await labServer()).connectLab(a.code, a.deviceName, a.adminSecret);
    // Someone is signed in already: the loop starts now rather than at the next sign-in.
    (await import('../sync/engine')).startSync();
    return connected;
  });

/** Whether the lab has a recovery key on the server (asked once per visit of the page). */
export const useHasRecoveryKey = (enabled: boolean) =>
  useQuery({ queryKey: syncKeys.recovery, enabled, meta: { server: true }, queryFn: async () => (await labServer()).hasRecoveryKey() });

export const useMakeRecoveryKey = () => useServerMutation(async (a: Authorised<object>) => (await labServer()).makeRecoveryKey(a.adminSecret));

/** Devices asking to join, asked again every 3 s while shown (a device's own changes do not touch the server's lists). */
export const useWaitingDevices = (enabled: boolean) =>
  useQuery({ queryKey: syncKeys.waiting, enabled, refetchInterval: 3_000, meta: { server: true }, queryFn: async () => (await labServer()).waitingDevices() });

export const useLabDevices = (enabled: boolean) => useQuery({ queryKey: syncKeys.devices, enabled, refetchInterval: 5_000, meta: { server: true }, queryFn: async () => (await labServer()).labDevices() });

export const useApproveDevice = () => useServerMutation(async (a: Authorised<{ enrolmentId: string }>) => (await labServer()).approveDevice(a.enrolmentId, a.adminSecret));
export const useRejectDevice = () => useServerMutation(async (enrolmentId: string) => (await labServer()).rejectDevice(enrolmentId));
export const useRevokeDevice = () =>
  useServerMutation(async (a: Authorised<{ deviceId: string; name: string }>) => (await labServer()).revokeDevice(a.deviceId, a.name, a.adminSecret));

export const useSetHolding = () => useServerMutation(async (holds: Holding) => (await import('../sync/archive')).setHolding(holds));

/** Pushes and pulls now. */
export const syncNow = async () => (await import('../sync/engine')).syncNow();

/** This device's changes to a case that another device's overtook; asked only on a connected device. */
export function useParkedChanges(caseId: CaseId) {
  const connected = useSyncState().data;
  return useQuery({ queryKey: syncKeys.parked(caseId), enabled: !!connected, queryFn: async () => (await labServer()).parkedChanges(caseId) });
}

export function useResolveParked(caseId: CaseId) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, how }: { id: string; how: 'apply' | 'dismiss' }) => (await labServer()).resolveParked(id, how),
    onSettled: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: syncKeys.parked(caseId) }),
        client.invalidateQueries({ queryKey: caseKeys.detail(caseId) }),
        client.invalidateQueries({ queryKey: caseKeys.history(caseId) }),
      ]),
  });
}

export const useParkedLabChanges = () => useQuery({ queryKey: syncKeys.parkedLab, queryFn: async () => (await labServer()).parkedLabChanges() });

export const useResolveParkedLab = () =>
  useServerMutation(async (a: Authorised<{ id: string; how: 'apply' | 'dismiss' }>) => (await labServer()).resolveParkedLab(a.id, a.how, a.adminSecret));

/** Every device was lost: this one takes the lab with the recovery key from paper. */
export function useRecoverLab() {
  const client = useQueryClient();
  const [progress, setProgress] = useState<string | null>(null);
  const mutation = useMutation({
    mutationFn: async ({ recoveryKey, deviceName }: { recoveryKey: string; deviceName: string }) => (await labServer()).recoverLab(recoveryKey, deviceName, setProgress),
    onSuccess: () => client.invalidateQueries(),
  });
  return { ...mutation, progress };
}

/**
 * A device joins the lab: asks (the codes to compare show at once), then waits for an
 * admin's approval and takes the lab's records. `withRecords`: a tablet with people and
 * cases of its own, whose admin is signed in, brings them along (sync/merge.ts).
 * Leaving the screen cancels the wait.
 */
export function useJoinLab(withRecords = false) {
  const client = useQueryClient();
  const [joining, setJoining] = useState<Joining | null>(null);
  const [progress, setProgress] = useState<string | null>(null);
  const stop = useRef<AbortController | null>(null);
  useEffect(() => () => stop.current?.abort(), []);
  const mutation = useMutation({
    mutationFn: async ({ deviceName, holds }: { deviceName: string; holds: Holding }): Promise<Merged | null> => {
      stop.current?.abort();
      const signal = (stop.current = new AbortController()).signal;
      setJoining(null);
      setProgress(null);
      const lab = await labServer();
      if (withRecords) {
        const merge = await import('../sync/merge');
        const j = await merge.askToJoinWithRecords(deviceName, holds);
        setJoining(j);
        const merged = await merge.finishJoiningWithRecords(j, { signal, onProgress: setProgress });
        (await import('../sync/engine')).startSync();
        return merged;
      }
      const j = await lab.askToJoin(deviceName, holds);
      setJoining(j);
      await lab.finishJoining(j, { signal, onProgress: setProgress });
      return null;
    },
    onSuccess: () => client.invalidateQueries(),
  });
  const reset = () => {
    stop.current?.abort();
    setJoining(null);
    setProgress(null);
    mutation.reset();
  };
  return { ...mutation, joining, progress, reset };
}
