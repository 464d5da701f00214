import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Role } from '../domain/case';
import { labRoot, listUsers } from '../db/user-repo';
import { getSecurityPolicy, type SecurityPolicy } from '../db/settings-repo';

export const userKeys = { all: ['users'] as const, policy: ['settings', 'security'] as const, labLog: ['audit', 'lab'] as const, labRoot: ['audit', 'lab', 'root'] as const };

export const useUsers = () => useQuery({ queryKey: userKeys.all, queryFn: listUsers });
export const useLabRoot = () => useQuery({ queryKey: userKeys.labRoot, queryFn: labRoot });
export const useSecurityPolicy = () => useQuery({ queryKey: userKeys.policy, queryFn: getSecurityPolicy });
export const useLabLog = () => useQuery({ queryKey: userKeys.labLog, queryFn: async () => (await import('../db/audit-repo')).readLabHistory() });

// Account code (Web Crypto key derivation, zod) loads when first needed.
const accounts = () => import('../db/accounts');

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
  useQuery({ queryKey: [...userKeys.all, 'reset', userId], enabled: userId !== null, queryFn: async () => (await import('../db/user-repo')).secretResetBy(userId!) });
export const useSaveSecurityPolicy = () => useAccountMutation(async ({ adminSecret, ...p }: Authorised<SecurityPolicy>) => (await accounts()).saveSecurityPolicy(p, adminSecret));
