/**
 * What a subscription is to, as emails and pages name it: a funding scheme (its name, its organiser) or
 * a seminar series (shared/domain/series.ts). The confirm and unsubscribe links and the confirm email
 * serve both kinds through this.
 */
import { schemeName, type SubscriptionTarget } from '../../shared/domain/funding.js';
import { getScheme } from '../../shared/store/schemes.js';
import { loadSeries } from '../series/series-info.js';

type Lang = 'nb' | 'en';

export interface TargetInfo {
  kind: SubscriptionTarget['kind'];
  name: (lang: Lang) => string;
  /** Signs the emails, if known. */
  organiser?: string;
  /** Takes new subscriptions now (a published scheme; a series with a published seminar). */
  open: boolean;
}

/** The scheme or series; undefined for a scheme that does not exist. */
export async function targetInfo(target: SubscriptionTarget): Promise<TargetInfo | undefined> {
  if (target.kind === 'scheme') {
    const scheme = await getScheme(target.id, true);
    return scheme && { kind: 'scheme', name: (lang) => schemeName(scheme, lang), organiser: scheme.organiser, open: scheme.published };
  }
  const series = await loadSeries(target.id);
  return { kind: 'series', name: (lang) => series.name(lang), open: series.open };
}
