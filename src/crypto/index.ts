// Public surface of src/crypto: secrets → verifier + KEK, the wrapped per-device
// data key, PHI field encryption and per-user ECDSA signing, all on Web Crypto
// only (no React, Dexie or DOM). Everything here is async Web Crypto work: call it
// before opening a Dexie transaction, never inside one (it would commit early).
export * from './errors';
export * from './encoding';
export * from './secret-keys';
export * from './data-key';
export * from './field-cipher';
export * from './signing-keys';
