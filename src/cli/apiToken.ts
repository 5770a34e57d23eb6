import { parseArgs } from 'node:util';
import { openStore } from '../adapters/store/openStore.js';
import { apiRoleSchema } from '../api/access/apiRoles.js';
import { ApiTokens } from '../api/access/apiTokens.js';
import { CliUsageError } from './usageError.js';

const HELP = `usage: rangekeeper api-token <add|list|revoke> [options]

  api-token add --role viewer|manager|admin [--label NAME]
                                  create a token; it is printed once, only its hash is kept
  api-token list [--json]         list tokens (id, role, label, created, revoked), never a token
  api-token revoke <id>           refuse the token from now on (the running agent too)

roles: viewer (read), manager (also POST /api/v1/strategy/rebalance),
       admin (also halt, resume and the audit log)
options:
  --data-dir DIR    the agent's embedded store directory (default ./data); works beside a running agent
  --redis URL       the agent's Redis store instead (e.g. redis://127.0.0.1:6379)
`;

/** `rangekeeper api-token ...`: the HTTP API's tokens, kept hashed in the agent's store. */
export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      'data-dir': { type: 'string', default: './data' },
      redis: { type: 'string' },
      role: { type: 'string' },
      label: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [action, id] = positionals;
  if (values.help || action === undefined) {
    console.log(HELP);
    return values.help ? 0 : 2;
  }
  if (!['add', 'list', 'revoke'].includes(action)) throw new CliUsageError(`unknown action "${action}" (expected add, list or revoke)`);
  const role = action === 'add' ? apiRoleSchema.safeParse(values.role) : null;
  if (role !== null && !role.success) throw new CliUsageError(`add needs --role viewer, manager or admin${values.role === undefined ? '' : ` (got "${values.role}")`}`);
  if (action === 'revoke' && id === undefined) throw new CliUsageError('revoke needs the token id (see api-token list)');

  const store = await openStore(values.redis === undefined ? { kind: 'file', dataDir: values['data-dir'], apiTokensOnly: true } : { kind: 'redis', url: values.redis });
  try {
    const tokens = new ApiTokens(store);
    switch (action) {
      case 'add': {
        const { token, info } = await tokens.add(role!.data!, values.label ?? `${role!.data!} token`);
        if (values.json) console.log(JSON.stringify({ token, ...info }));
        else console.log(`created ${info.role} token ${info.id} (${info.label}); it is shown only now:\n${token}`);
        return 0;
      }
      case 'list': {
        const list = await tokens.list();
        if (values.json) console.log(JSON.stringify(list));
        else if (list.length === 0) console.log('no API tokens');
        else {
          console.log(['id', 'role', 'label', 'created', 'revoked'].join('\t'));
          for (const t of list) console.log([t.id, t.role, t.label, new Date(t.createdAt).toISOString(), t.revokedAt === null ? '-' : new Date(t.revokedAt).toISOString()].join('\t'));
        }
        return 0;
      }
      default: {
        const info = await tokens.revoke(id!);
        console.log(`revoked ${info.role} token ${info.id} (${info.label})`);
        return 0;
      }
    }
  } finally {
    await store.close();
  }
}
