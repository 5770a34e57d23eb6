/**
 * API tokens, kept in the agent's store (file store or Redis) hashed: a token is
 * `rk_<id>_<secret>`; the store keeps its id, role, label and the SHA-256 of the secret (the
 * secret is 32 random bytes, so a plain hash is as strong as the secret), never the token. The
 * token is shown once, when it is created. A revoked token stays listed, refused from then on.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { API_TOKEN_STORE_PREFIX } from '../../adapters/store/fileStore.js';
import type { Store } from '../../adapters/store/store.js';
import { apiRoleSchema, type ApiPrincipal, type ApiRole } from './apiRoles.js';

/** The store's documents of the API tokens (the file store may open just these beside a running agent). */
export const API_TOKEN_PREFIX = API_TOKEN_STORE_PREFIX;

const TOKEN_PATTERN = /^rk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

export const apiTokenInfoSchema = z.object({
  id: z.string(),
  role: apiRoleSchema,
  label: z.string(),
  createdAt: z.number(),
  revokedAt: z.number().nullable(),
});
export type ApiTokenInfo = z.infer<typeof apiTokenInfoSchema>;

const recordSchema = apiTokenInfoSchema.extend({ sha256: z.string().regex(/^[0-9a-f]{64}$/) });
type TokenRecord = z.infer<typeof recordSchema>;

export class ApiTokenError extends Error {
  override readonly name = 'ApiTokenError';
  constructor(readonly code: 'NOT_FOUND' | 'BAD_INPUT', message: string) {
    super(message);
  }
}

const digest = (secret: string): string => createHash('sha256').update(secret, 'utf8').digest('hex');
const keyOf = (id: string): string => `${API_TOKEN_PREFIX}${id}`;

/** A label: short printable text naming who holds the token. */
export const tokenLabelSchema = z.string().trim().min(1).max(64).regex(/^[\x20-\x7e]+$/, 'printable ASCII');

export class ApiTokens {
  constructor(private readonly store: Store, private readonly now: () => number = Date.now) {}

  /** Creates a token of `role`; the answer's `token` is the only time it is seen. */
  async add(role: ApiRole, label: string): Promise<{ token: string; info: ApiTokenInfo }> {
    const l = tokenLabelSchema.safeParse(label);
    if (!l.success) throw new ApiTokenError('BAD_INPUT', `label: ${l.error.issues[0]?.message ?? 'invalid'}`);
    const id = randomBytes(6).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    const info: ApiTokenInfo = { id, role, label: l.data, createdAt: this.now(), revokedAt: null };
    await this.store.put<TokenRecord>(keyOf(id), { ...info, sha256: digest(secret) }, 0);
    return { token: `rk_${id}_${secret}`, info };
  }

  async list(): Promise<ApiTokenInfo[]> {
    const out: ApiTokenInfo[] = [];
    for (const k of await this.store.keys(API_TOKEN_PREFIX)) {
      const r = await this.read(k.slice(API_TOKEN_PREFIX.length));
      if (r !== null) out.push(apiTokenInfoSchema.parse(r));
    }
    return out.sort((a, b) => a.createdAt - b.createdAt);
  }

  async revoke(id: string): Promise<ApiTokenInfo> {
    if (!/^[0-9a-f]{12}$/.test(id)) throw new ApiTokenError('BAD_INPUT', `"${id}" is not a token id (12 hex digits, as api-token list shows)`);
    const r = await this.store.get<TokenRecord>(keyOf(id));
    if (r === null) throw new ApiTokenError('NOT_FOUND', `no API token ${id}`);
    const revoked = { ...r.value, revokedAt: r.value.revokedAt ?? this.now() };
    await this.store.put(keyOf(id), revoked, r.version);
    return apiTokenInfoSchema.parse(revoked);
  }

  /** Who `token` is, or null for a malformed, unknown or revoked token. Constant time in the secret. */
  async verify(token: string): Promise<ApiPrincipal | null> {
    const m = TOKEN_PATTERN.exec(token);
    if (m === null) return null;
    const r = await this.read(m[1]!);
    if (r === null || r.revokedAt !== null) return null;
    const given = Buffer.from(digest(m[2]!), 'hex');
    const stored = Buffer.from(r.sha256, 'hex');
    if (!timingSafeEqual(given, stored)) return null;
    return { tokenId: r.id, role: r.role, label: r.label };
  }

  private async read(id: string): Promise<TokenRecord | null> {
    const r = await this.store.get(keyOf(id));
    if (r === null) return null;
    const parsed = recordSchema.safeParse(r.value);
    return parsed.success ? parsed.data : null;
  }
}
