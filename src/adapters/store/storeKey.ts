/** Store keys are short printable paths such as "position/0xabc.../state". */
const KEY_PATTERN = /^[A-Za-z0-9:._\-/]{1,200}$/;

export class InvalidStoreKeyError extends Error {
  override readonly name = 'InvalidStoreKeyError';
  constructor(readonly key: string) {
    super(`store: invalid key ${JSON.stringify(key)} (1-200 chars of A-Z a-z 0-9 : . _ - /)`);
  }
}

/** Throws InvalidStoreKeyError unless `key` is a valid store key. */
export function assertStoreKey(key: string): void {
  if (!KEY_PATTERN.test(key) || key.includes('..')) throw new InvalidStoreKeyError(key);
}
