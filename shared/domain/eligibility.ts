/** Who may register: open to all, or partner organisations by email domain (subdomains included) plus invited addresses. */
import type { EligibilityRule as Rule } from './model.js';
import { normaliseEmail } from './primitives.js';

export type EligibilityResult = { eligible: true } | { eligible: false; rule: { nb: string; en: string } };

export function domainOf(email: string): string {
  return normaliseEmail(email).split('@').pop() ?? '';
}

export function checkEligibility(rule: Rule, email: string): EligibilityResult {
  if (rule.kind === 'open') return { eligible: true };
  const address = normaliseEmail(email);
  const domain = domainOf(address);
  if (rule.invited.some((i) => normaliseEmail(i) === address)) return { eligible: true };
  if (rule.domains.some((d) => domain === d || domain.endsWith(`.${d}`))) return { eligible: true };
  return { eligible: false, rule: rule.description ?? describeRule(rule) };
}

export function describeRule(rule: Extract<Rule, { kind: 'restricted' }>): { nb: string; en: string } {
  const list = rule.domains.map((d) => `@${d}`).join(', ');
  return {
    nb: `Påmelding er forbeholdt ansatte hos partnerne${list ? ` (e-postadresser på ${list})` : ''} og spesielt inviterte.`,
    en: `Registration is reserved for employees of the partners${list ? ` (email addresses at ${list})` : ''} and specially invited guests.`,
  };
}
