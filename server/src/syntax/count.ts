// Whole numbers with thousands separators, as `toLocaleString('en-US')` writes them, without ICU: its
// first use in a thread loads locale data (about 40 ms of the parser thread's CPU for its first
// notice), and each call costs enough to matter in a rule's messages over thousands of Ingresses.

export function countText(n: number): string {
  if (!Number.isSafeInteger(n)) return n.toLocaleString('en-US');
  const digits = String(Math.abs(n));
  let out = n < 0 ? '-' : '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ',';
    out += digits[i];
  }
  return out;
}
