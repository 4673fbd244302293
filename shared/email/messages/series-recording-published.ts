/** The recording, to a subscriber of the seminar's series who was not registered for it. */
import { pick, quote, type Lang } from '../../text.js';
import { subscriberFooter, type AboutSeminar, type Draft } from '../draft.js';
import { recordingDraft } from '../seminar-parts.js';

export interface SeriesRecordingPublishedMessage extends AboutSeminar {
  kind: 'series-recording-published';
  series: { name: string };
  recordingUrl: string;
  unsubscribeUrl: string;
  /** The link corrects one sent before. */
  correction?: boolean;
}

export function seriesRecordingPublished(m: SeriesRecordingPublishedMessage, lang: Lang): Draft {
  const s = m.seminar;
  const intro = pick(
    lang,
    `Opptaket av ${quote(lang, s.title)} i ${m.series.name} er nå tilgjengelig.`,
    `The recording of ${quote(lang, s.title)} in ${m.series.name} is now available.`,
  );
  return recordingDraft(s, m.recordingUrl, intro, subscriberFooter(m.series.name, m.unsubscribeUrl, lang), lang, m.correction);
}
