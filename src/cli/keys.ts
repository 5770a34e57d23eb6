import { parseArgs } from 'node:util';
import { Credentials } from '../adapters/keys/credentials.js';
import { KeyStoreError } from '../adapters/keys/keyErrors.js';
import { openStore } from '../adapters/store/openStore.js';
import { KEY_STORE_OPTIONS, storeConfigFromFlags } from './keyStoreFlags.js';
import { openKeyStore } from './openKeyStore.js';
import { readSecretLines } from './readSecretLines.js';
import { CliUsageError } from './usageError.js';

const HELP = `usage: rangekeeper keys <add|list|remove|rotate> [venue label] [options]

  keys add <venue> <label>     read the API key and secret from stdin (two lines) and store them encrypted
  keys list [--json]           list stored credentials (never the secrets)
  keys remove <venue> <label>  delete credentials
  keys rotate <venue> <label>  replace credentials with a new key pair read from stdin

venues: binanceusdm, bybit
options:
  --data-dir DIR          embedded store directory (default ./data)
  --redis URL             use a Redis store instead (e.g. redis://127.0.0.1:6379)
  --master-key-file FILE  master key file (mode 0600); RANGEKEEPER_MASTER_KEY wins when set
`;

/** `rangekeeper keys ...`: manage exchange credentials encrypted at rest. */
export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...KEY_STORE_OPTIONS,
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [action, venue, label] = positionals;
  if (values.help || action === undefined) {
    console.log(HELP);
    return values.help ? 0 : 2;
  }
  if (!['add', 'list', 'remove', 'rotate'].includes(action)) throw new CliUsageError(`unknown action "${action}" (expected add, list, remove or rotate)`);
  if (action !== 'list' && (venue === undefined || label === undefined)) throw new CliUsageError(`${action} needs <venue> <label>`);

  const store = await openStore(storeConfigFromFlags(values));
  try {
    const keys = await openKeyStore(store, values['master-key-file']);
    switch (action) {
      case 'list': {
        const list = await keys.list();
        if (values.json) console.log(JSON.stringify(list));
        else if (list.length === 0) console.log('no credentials stored');
        else {
          console.log(['venue', 'label', 'fingerprint', 'generation', 'created', 'rotated'].join('\t'));
          for (const k of list) console.log([k.venue, k.label, k.fingerprint, k.generation, k.createdAt, k.rotatedAt ?? '-'].join('\t'));
        }
        return 0;
      }
      case 'remove':
        await keys.remove(venue!, label!);
        console.log(`removed ${venue}/${label}`);
        return 0;
      case 'add':
      case 'rotate': {
        const [apiKey, secret] = await readSecretLines(['API key', 'API secret']);
        if (apiKey === undefined || secret === undefined || apiKey.trim() === '' || secret.trim() === '') {
          throw new KeyStoreError('BAD_INPUT', 'expected two lines on stdin: the API key, then the secret');
        }
        const creds = new Credentials(apiKey.trim(), secret.trim());
        const info = action === 'add' ? await keys.add(venue!, label!, creds) : await keys.rotate(venue!, label!, creds);
        console.log(`${action === 'add' ? 'stored' : 'rotated'} ${info.venue}/${info.label} (fingerprint ${info.fingerprint}, generation ${info.generation})`);
        return 0;
      }
    }
    return 2;
  } finally {
    await store.close();
  }
}
