// The cost of one production-strength PIN check (PBKDF2-SHA-256, 600,000 rounds:
// the bulk of deriveSecretKeys in src/crypto/secret-keys.ts), the figure
// docs/security.md uses to estimate how long guessing every PIN would take.
//   node scripts/kdf-timing.mjs
const ITERATIONS = 600_000;
const RUNS = 7;
const { subtle } = globalThis.crypto;
const salt = crypto.getRandomValues(new Uint8Array(16));
const derive = async (pin) => {
  const base = await subtle.importKey('raw', new TextEncoder().encode(pin), 'PBKDF2', false, ['deriveBits']);
  return subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations: ITERATIONS }, base, 256);
};
await derive('000000');
const times = [];
for (let i = 0; i < RUNS; i++) {
  const start = performance.now();
  await derive(String(100000 + i));
  times.push(performance.now() - start);
}
times.sort((a, b) => a - b);
const fastest = times[0];
console.log(`PBKDF2-SHA-256 x ${ITERATIONS}: fastest ${fastest.toFixed(0)} ms, median ${times[3].toFixed(0)} ms over ${RUNS} runs (Node ${process.version}, one core)`);
console.log(`Every 6-digit PIN on one such core: ${((fastest * 1e6) / 3.6e6).toFixed(0)} hours`);
