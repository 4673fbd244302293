/** Who may register: open to all, or partner organisations by email domain (subdomains included) plus invited addresses. */
import type { EligibilityRule as Rule } from './model.js';
import { normaliseEmail } from './primitives.js';

/**
 * Not eligible, and how the refusal is told. `on-page`: the seminar's rule is its partner domains alone,
 * which its page states, so the answer may say so. `by-email`: the seminar also has an invitation list,
 * which is private: an address outside the partner domains gets the answer of any submission whether it
 * is on the list or not, and the refusal goes to that address by email (so no one learns from the answer
 * who is invited).
 */
export type EligibilityResult = { eligible: true } | { eligible: false; refuse: 'on-page' | 'by-email'; rule: { nb: string; en: string } };

export function domainOf(email: string): string {
  return normaliseEmail(email).split('@').pop() ?? '';
}

export function checkEligibility(rule: Rule, email: string): EligibilityResult {
  if (rule.kind === 'open') return { eligible: true };
  const address = normaliseEmail(email);
  const domain = domainOf(address);
  if (rule.invited.some((i) => normaliseEmail(i) === address)) return { eligible: true };
  if (rule.domains.some((d) => domain === d || domain.endsWith(`.${d}`))) return { eligible: true };
  return { eligible: false, refuse: hasInvitationList(rule) ? 'by-email' : 'on-page', rule: rule.description ?? describeRule(rule) };
}

/** Whether the seminar keeps a private invitation list: then no answer may tell who is on it. */
export function hasInvitationList(rule: Rule): boolean {
  return rule.kind === 'restricted' && rule.invited.length > 0;
}

export function describeRule(rule: Extract<Rule, { kind: 'restricted' }>): { nb: string; en: string } {
  const list = rule.domains.map((d) => `@${d}`).join(', ');
  return {
    nb: `Påmelding er forbeholdt ansatte hos partnerne${list ? ` (e-postadresser på ${list})` : ''} og spesielt inviterte.`,
    en: `Registration is reserved for employees of the partners${list ? ` (email addresses at ${list})` : ''} and specially invited guests.`,
  };
}
