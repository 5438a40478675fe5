/**
 * A count with its noun in the right number ('1 call', '3 calls', '1 SMS'), by the English
 * plural rules of Intl.PluralRules. Every message that states a count of attempts, calls or
 * minutes says it this way.
 */
const rules = new Intl.PluralRules('en-US');

/** `${n} ${noun}`: `one` when English says one, else `other` (the noun + 's' unless given). */
export function countOf(n: number, one: string, other = `${one}s`): string {
  return `${n} ${nounFor(n, one, other)}`;
}

/** The noun alone, in the number `n` asks for. */
export function nounFor(n: number, one: string, other = `${one}s`): string {
  return rules.select(n) === 'one' ? one : other;
}
