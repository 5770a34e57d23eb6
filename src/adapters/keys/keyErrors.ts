/** Errors of the encrypted key store. None of them ever carries a secret. */
export type KeyStoreErrorCode =
  | 'NO_MASTER_KEY'
  | 'BAD_MASTER_KEY'
  | 'WRONG_MASTER_KEY'
  | 'MASTER_KEY_FILE_PERMISSIONS'
  | 'TAMPERED'
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'BAD_INPUT'
  | 'WITHDRAW_PERMISSION';

export class KeyStoreError extends Error {
  override readonly name = 'KeyStoreError';
  constructor(
    readonly code: KeyStoreErrorCode,
    message: string,
  ) {
    super(message);
  }
}
