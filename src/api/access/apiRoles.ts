/**
 * The API's roles, after the spec's guards: a viewer reads, a manager also acts on strategy
 * (a manual rebalance), an admin also halts, resumes and reads the audit log. Each role includes
 * the ones below it.
 */
import { z } from 'zod';

export const API_ROLES = ['viewer', 'manager', 'admin'] as const;
export const apiRoleSchema = z.enum(API_ROLES);
export type ApiRole = z.infer<typeof apiRoleSchema>;

/** Who a request acts as: the token's id and role (never the token). */
export interface ApiPrincipal {
  tokenId: string;
  role: ApiRole;
  label: string;
}

/** true when `have` includes the rights of `need`. */
export function roleAllows(have: ApiRole, need: ApiRole): boolean {
  return API_ROLES.indexOf(have) >= API_ROLES.indexOf(need);
}
