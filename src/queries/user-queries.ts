import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Role } from '../domain/case';
import type { SecurityPolicy } from '../db/settings-repo';
import { afterPaint } from './after-paint';

// The lock screen uses these: the storage code (Dexie) loads on the first read, not with the
// lock screen's first load, and the account code (key derivation) once the people show.
const users = () => import('../db/user-repo');
const settings = () => import('../db/settings-repo');

export const userKeys = { all: ['users'] as const, policy: ['settings', 'security'] as const, labLog: ['audit', 'lab'] as const, labRoot: ['audit', 'lab', 'root'] as const };

export const useUsers = () => useQuery({ queryKey: userKeys.all, queryFn: async () => (await users()).listUsers() });
export const useLabRoot = () => useQuery({ queryKey: userKeys.labRoot, queryFn: async () => (await users()).labRoot() });
export const useSecurityPolicy = () => useQuery({ queryKey: userKeys.policy, queryFn: async () => (await settings()).getSecurityPolicy() });
export const useLabLog = () => useQuery({ queryKey: userKeys.labLog, queryFn: async () => (await import('../db/audit-repo')).readLabHistory() });

// Account code (Web Crypto key derivation, zod) loads when first needed.
const accounts = () => import('../db/accounts');
/** Fetches the sign-in code while the person chooses their name and types their secret (after the frame that shows the people). */
export const prepareSignIn = (): void => void afterPaint().then(accounts).catch(() => undefined);

function useAccountMutation<A>(fn: (a: A) => Promise<unknown>) {
  const client = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => client.invalidateQueries() });
}

export type AccountInput = { name: string; roles: Role[]; secret: string };

export const useSetUpTablet = () => useAccountMutation(async (a: AccountInput) => (await accounts()).setUpTablet(a));
export const useSignIn = () => useAccountMutation(async (a: { userId: string; secret: string }) => (await accounts()).signIn(a.userId, a.secret));
/** Changes to people and policy: `adminSecret` is the acting admin's own secret, typed for this change. */
type Authorised<T> = T & { adminSecret: string };
export const useAddUser = () => useAccountMutation(async ({ adminSecret, ...a }: Authorised<AccountInput>) => (await accounts()).addUser(a, adminSecret));
export const useResetSecret = () => useAccountMutation(async (a: Authorised<{ userId: string; secret: string }>) => (await accounts()).resetSecret(a.userId, a.secret, a.adminSecret));
export const useSetUserActive = () => useAccountMutation(async (a: Authorised<{ userId: string; active: boolean }>) => (await accounts()).setUserActive(a.userId, a.active, a.adminSecret));
export const useChangeRoles = () => useAccountMutation(async (a: Authorised<{ userId: string; roles: Role[] }>) => (await accounts()).changeRoles(a.userId, a.roles, a.adminSecret));
export const useChangeOwnSecret = () => useAccountMutation(async (a: { current: string; next: string }) => (await accounts()).changeOwnSecret(a.current, a.next));
export const useSecretResetBy = (userId: string | null) =>
  useQuery({ queryKey: [...userKeys.all, 'reset', userId], enabled: userId !== null, queryFn: async () => (await users()).secretResetBy(userId!) });
export const useSaveSecurityPolicy = () => useAccountMutation(async ({ adminSecret, ...p }: Authorised<SecurityPolicy>) => (await accounts()).saveSecurityPolicy(p, adminSecret));
