import { randomInt } from 'node:crypto';

/** `length` characters from the CSPRNG with at least one of each class, shuffled so no class keeps a fixed place. */
export function randomPassword(length: number, classes: readonly string[]): string {
  const all = classes.join('');
  const chars = classes.map((c) => c[randomInt(c.length)] as string);
  while (chars.length < length) chars.push(all[randomInt(all.length)] as string);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j] as string, chars[i] as string];
  }
  return chars.join('');
}
